// Keeps the overview live: every couple of seconds each target's provider is asked for its apps
// and a snapshot of each deployed one. A target that does not answer says why on a row of its own
// and keeps its last rows (greyed as stale by the screen) until it answers again.
import type { Provider } from '../../engine/provider.ts';
import { type OverviewRow, overviewRow, type SourceError, sortRows } from './overview-rows.ts';

/** A configured target, opened or not. */
export interface OverviewSource {
  /** `local`, `prod (kubernetes prod-eu/shop)`. */
  label: string;
  provider: Provider | null;
  /** Why it could not be opened (a missing context, no credentials). */
  error?: string;
  readonly?: boolean;
}

export interface OverviewData {
  rows: OverviewRow[];
  errors: SourceError[];
  /** When the last round of answers ended; null before the first. */
  at: number | null;
}

/** How often the overview asks every target again. */
export const OVERVIEW_POLL_MS = 2_000;

/** Polls every source; calls `changed` after each round. `stop` ends it. */
export function overviewFeed(
  sources: OverviewSource[],
  changed: (data: OverviewData) => void,
): { stop(): void } {
  const bySource = new Map<number, OverviewRow[]>();
  const errors = new Map<number, string>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const readSource = async (source: OverviewSource, index: number): Promise<void> => {
    if (source.provider === null) {
      errors.set(index, source.error ?? 'not opened');
      return;
    }
    try {
      const listing = await source.provider.apps();
      const rows: OverviewRow[] = [];
      // One app at a time per target: fifty apps are fifty small requests, not a burst.
      for (const app of listing) {
        if (stopped) return;
        try {
          // A row shows no chart: the metric samples (most of a snapshot's bytes) stay behind.
          const snapshot = await source.provider.snapshot(app.appId, { metrics: false });
          rows.push(overviewRow(source.label, index, snapshot));
        } catch {
          // The app went away between the listing and the snapshot: the next round says so.
        }
      }
      bySource.set(index, rows);
      errors.delete(index);
    } catch (error) {
      errors.set(index, error instanceof Error ? error.message : String(error));
    }
  };

  const round = async () => {
    await Promise.all(sources.map((source, index) => readSource(source, index)));
    if (stopped) return;
    changed({
      rows: sortRows([...bySource.values()].flat()),
      errors: [...errors].map(([index, message]) => ({ target: sources[index]!.label, message })),
      at: Date.now(),
    });
    timer = setTimeout(() => void round(), OVERVIEW_POLL_MS);
  };
  void round();
  return {
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
