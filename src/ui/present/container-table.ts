// The containers table: one row per container, old version first (k9s's pod list, Argo's
// revision tree), each with its state and why, its age, restarts and inputs in flight. The
// platform's nulls read `—` (not reported), never 0.
import type { ContainerSummary, Snapshot } from '../../engine/snapshot.ts';
import type { ContainerState } from '../../engine/types.ts';
import { age, padEnd } from './format.ts';
import { clip, type Line, seg, type Tone } from './line.ts';

/** The block each state is drawn with, here and in the per-function summary. */
export const stateBlocks: Record<ContainerState, string> = {
  ready: '█',
  starting: '░',
  draining: '▒',
  failed: '✗',
  exited: '·',
};

const stateOrder: Record<ContainerState, number> = {
  failed: 0,
  starting: 1,
  ready: 2,
  draining: 3,
  exited: 4,
};

// What localeCompare does, made once: localeCompare builds a collator at every call, which made
// sorting the containers the dearest part of a frame.
const byName = new Intl.Collator();
const byId = new Intl.Collator(undefined, { numeric: true });

/** Old version first, then by function, state (failed first) and id. */
export function orderedContainers(snapshot: Snapshot): ContainerSummary[] {
  return snapshot.containers
    .filter((c) => c.state !== 'exited')
    .sort(
      (a, b) =>
        a.version - b.version ||
        byName.compare(a.function, b.function) ||
        stateOrder[a.state] - stateOrder[b.state] ||
        byId.compare(a.id, b.id),
    );
}

/**
 * The state and why: `█ ready`, `░ not ready for 12s of 30s · readiness: HTTP 503 from /healthz`,
 * `✗ exited (code 3); last probe: connection refused`, `░ CrashLoopBackOff` (the block says the state).
 */
export function stateText(c: ContainerSummary, snapshot: Snapshot, now: number): string {
  const block = stateBlocks[c.state];
  if (c.state === 'failed') return `${block} ${c.reason ?? 'failed'}`;
  if (c.state === 'starting' && c.startedAt !== null) {
    const timeout = snapshot.functions.find((f) => f.name === c.function)?.startTimeoutMs;
    const of = timeout === null || timeout === undefined ? '' : ` of ${Math.round(timeout / 1000)}s`;
    return `${block} not ready for ${age(c.startedAt, now)}${of}${c.reason ? ` · ${c.reason}` : ''}`;
  }
  return `${block} ${c.reason ?? c.state}`;
}

const toneOf: Record<ContainerState, Tone | undefined> = {
  ready: undefined,
  starting: 'warn',
  draining: 'dim',
  failed: 'error',
  exited: 'dim',
};

/** Where the table's window starts so that row `index` is visible in `rows` rows. */
export function windowTop(top: number, index: number, rows: number, total: number): number {
  let start = Math.min(top, Math.max(0, total - rows));
  if (index < start) start = index;
  if (index >= start + rows) start = index - rows + 1;
  return Math.max(0, start);
}

export interface TableView {
  width: number;
  now: number;
  /** Rows of containers that fit (the heading is extra). */
  rows: number;
  /** The selected row's index, or null when the table does not have the focus. */
  cursor: number | null;
  top: number;
}

/** The heading and the visible rows; the heading says which rows of how many are shown. */
export function containerTableLines(snapshot: Snapshot, view: TableView): Line[] {
  const all = orderedContainers(snapshot);
  if (all.length === 0) return [[seg('  no containers', 'dim')]];
  const newVersion = snapshot.rollout?.to ?? snapshot.version;
  const idWidth = Math.min(24, Math.max(9, ...all.map((c) => c.id.length)));
  const verWidth = Math.max(3, ...all.map((c) => `v${c.version}`.length));
  const fixed = 2 + idWidth + 2 + verWidth + 2 + 2 + 4 + 2 + 8 + 2 + 9;
  const stateWidth = Math.max(12, view.width - fixed);
  const rows = Math.max(1, view.rows);
  const top = windowTop(view.top, view.cursor ?? 0, rows, all.length);
  const shown = all.slice(top, top + rows);
  // A table longer than its window says which rows it shows, in the state column's heading.
  const range = all.length > rows ? ` (${top + 1}–${top + shown.length} of ${all.length})` : '';
  const heading: Line = [
    seg(
      clip(
        `  ${padEnd('container', idWidth)}  ${padEnd('ver', verWidth)}  ${padEnd(clip(`state${range}`, stateWidth), stateWidth)}  ${'age'.padStart(4)}  ${'restarts'.padStart(8)}  in flight`,
        view.width,
      ),
      'dim',
    ),
  ];
  const lines = shown.map((c, i): Line => {
    const selected = view.cursor === top + i;
    const restarts =
      c.restarts === null || c.restarts === undefined ? '—' : c.restarts > 0 ? `↺${c.restarts}` : '0';
    const cells = [
      seg(selected ? '▸ ' : '  ', 'focus'),
      seg(padEnd(clip(c.id, idWidth), idWidth), selected ? 'focus' : undefined),
      seg('  '),
      seg(padEnd(`v${c.version}`, verWidth), c.version === newVersion ? 'new' : 'old'),
      seg('  '),
      seg(padEnd(clip(stateText(c, snapshot, view.now), stateWidth), stateWidth), toneOf[c.state]),
      seg('  '),
      seg((c.startedAt === null ? '—' : age(c.startedAt, view.now)).padStart(4), 'dim'),
      seg('  '),
      seg(restarts.padStart(8), c.restarts ? 'warn' : 'dim'),
      seg('  '),
      seg((c.inFlight === null ? '—' : String(c.inFlight)).padStart(9)),
    ];
    return cells;
  });
  return [heading, ...lines];
}
