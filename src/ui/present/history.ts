// The history table's rows: version, kind, strategy, user, time, outcome, rollback target.
import type { VersionSummary } from '../../engine/snapshot.ts';
import { age } from './format.ts';
import { clipLine, type Line, seg } from './line.ts';

/** One history table row; keys are the column headings. */
export type HistoryRow = {
  version: string;
  kind: string;
  strategy: string;
  user: string;
  age: string;
  outcome: string;
  target: string;
};

export const historyColumns: (keyof HistoryRow)[] = [
  'version',
  'kind',
  'strategy',
  'user',
  'age',
  'outcome',
  'target',
];

/** The newest `limit` versions, newest first. */
export function historyRows(history: VersionSummary[], now: number, limit: number): HistoryRow[] {
  return history.slice(0, Math.max(0, limit)).map((v) => ({
    version: `v${v.version}`,
    kind: v.kind,
    strategy: v.strategy,
    user: v.user.length > 12 ? `${v.user.slice(0, 11)}…` : v.user,
    age: age(v.createdAt, now),
    outcome: v.outcome,
    target: v.rollbackOf === null ? '' : `v${v.rollbackOf}`,
  }));
}

/** Lines an ink-table with `rows` rows takes: borders, heading and a separator per row. */
export function historyTableHeight(rows: number): number {
  return rows === 0 ? 0 : 3 + 2 * rows;
}

/** Width of an ink-table with these rows and columns (padding 1 each side, one border each). */
export function historyTableWidth(rows: HistoryRow[], columns: (keyof HistoryRow)[]): number {
  return (
    columns.reduce((sum, c) => sum + Math.max(c.length, ...rows.map((r) => r[c].length)) + 2, 0) +
    columns.length +
    1
  );
}

/** The columns that fit in `width`, dropping the least needed first. */
export function historyColumnsFor(rows: HistoryRow[], width: number): (keyof HistoryRow)[] {
  const dropOrder: (keyof HistoryRow)[] = ['strategy', 'age', 'user', 'kind', 'target'];
  let columns = [...historyColumns];
  for (const drop of dropOrder) {
    if (historyTableWidth(rows, columns) <= width) break;
    columns = columns.filter((c) => c !== drop);
  }
  return columns;
}

/** `7 older versions: cutover history shop`, under a table that left them out. */
export function historyMoreLine(more: number, app: string, width: number): Line {
  const noun = more === 1 ? 'older version' : 'older versions';
  return clipLine([seg(`${more} ${noun}: cutover history ${app}`, 'dim')], width);
}
