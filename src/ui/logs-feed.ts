// What the screen reads of containers' output through Provider.logs: the open logs pane's
// container, followed; and the last lines of a failing container, for the failure banner.
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { type FailureOutput, failingContainer } from './present/header.ts';
import type { LogsView } from './present/logs.ts';

/** Lines a pane keeps: enough to scroll back through, bounded. */
const KEEP_LINES = 2_000;

/** The output a screen shows, and what changes it. */
export interface LogsFeed {
  /** Follows `container` (its last 200 lines first), or stops following (null). */
  open(container: string | null): void;
  /** Fetches the failing container's last lines when a snapshot names a new one. */
  snapshot(snapshot: Snapshot | null): void;
  readonly pane: LogsView | null;
  readonly failure: FailureOutput | null;
  close(): void;
}

export function logsFeed(provider: Provider, app: string, changed: () => void): LogsFeed {
  let pane: LogsView | null = null;
  let follow: AbortController | null = null;
  let failure: FailureOutput | null = null;
  let fetched: string | null = null;
  let pending: NodeJS.Timeout | null = null;
  // Output arrives line by line; the screen is redrawn at most every 50 ms for it.
  const soon = () => {
    if (pending === null) {
      pending = setTimeout(() => {
        pending = null;
        changed();
      }, 50);
    }
  };

  const open = (container: string | null) => {
    follow?.abort();
    follow = null;
    if (container === null) {
      pane = null;
      changed();
      return;
    }
    const abort = new AbortController();
    follow = abort;
    const view: LogsView = { container, lines: [], state: 'following' };
    pane = view;
    changed();
    void (async () => {
      try {
        for await (const line of provider.logs(app, {
          container,
          follow: true,
          tail: 200,
          signal: abort.signal,
        })) {
          if (abort.signal.aborted) return;
          view.lines.push(line.text);
          if (view.lines.length > KEEP_LINES) view.lines.splice(0, view.lines.length - KEEP_LINES);
          soon();
        }
        if (!abort.signal.aborted) {
          view.state = 'ended';
          changed();
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        view.state = 'error';
        view.message = error instanceof Error ? error.message : String(error);
        changed();
      }
    })();
  };

  const fetchFailure = (container: string) => {
    fetched = container;
    void (async () => {
      const lines: string[] = [];
      try {
        for await (const line of provider.logs(app, { container, follow: false, tail: 3 }))
          lines.push(line.text);
      } catch {
        return; // no output to show: the banner says what the snapshot says
      }
      if (fetched !== container) return;
      failure = { container, lines };
      changed();
    })();
  };

  return {
    open,
    snapshot(snapshot) {
      if (snapshot === null || provider.capabilities.unavailable.logs !== undefined) return;
      const container = failingContainer(snapshot);
      if (container === null) {
        fetched = null;
        failure = null;
      } else if (container !== fetched) fetchFailure(container);
    },
    get pane() {
      return pane;
    },
    get failure() {
      return failure;
    },
    close() {
      follow?.abort();
      if (pending !== null) clearTimeout(pending);
    },
  };
}
