// The chart's data side: the samples of a time window bucketed into columns, a series' value in
// each column, and what the y axis needs (peak, versions drawn). One pass each and no array per
// column: a frame is computed every second while metrics are sampled.
import type { MetricSample } from '../../engine/types.ts';

/** The series `c` cycles through, in order. */
export const chartSeries = ['ready', 'queued', 'done', 'failed', 'p95'] as const;
export type ChartSeries = (typeof chartSeries)[number];

/**
 * The window: `columns` columns of `step` seconds each, ending at `end`. The samples that fall in
 * column i are `order[from[i]]` … `order[from[i + 1] - 1]` (a counting sort by column: one pass,
 * no array per column, since a frame is computed every second).
 */
export interface Columns {
  metrics: MetricSample[];
  order: Int32Array;
  from: Int32Array;
  length: number;
}

export function bucket(metrics: MetricSample[], columns: number, step: number, end: number): Columns {
  const start = end - columns * step * 1000;
  const columnOf = new Int32Array(metrics.length);
  const from = new Int32Array(columns + 1);
  metrics.forEach((s, k) => {
    if (s.at <= start || s.at > end) {
      columnOf[k] = -1;
      return;
    }
    const i = Math.min(columns - 1, Math.floor((s.at - start - 1) / (step * 1000)));
    columnOf[k] = i;
    from[i + 1]!++;
  });
  for (let i = 0; i < columns; i++) from[i + 1]! += from[i]!;
  const next = from.slice(0, columns);
  const order = new Int32Array(from[columns]!);
  for (let k = 0; k < metrics.length; k++) {
    const i = columnOf[k]!;
    if (i >= 0) order[next[i]!++] = k;
  }
  return { metrics, order, from, length: columns };
}

/** A series' value in column `i`; null where no sample fell (a gap, never a 0). */
export function columnValue(c: Columns, i: number, series: ChartSeries, version?: number): number | null {
  const first = c.from[i]!;
  const last = c.from[i + 1]!;
  if (first === last) return null;
  const key = String(version);
  let value: number | null = null;
  let sum = 0;
  for (let k = first; k < last; k++) {
    const s = c.metrics[c.order[k]!]!;
    switch (series) {
      case 'ready': {
        // A version with no container at all in the column is not drawn there (not a line at 0).
        const states = s.containers[key];
        if (states !== undefined) value = Math.max(value ?? 0, states.ready ?? 0);
        break;
      }
      case 'queued':
        value = Math.max(value ?? Number.NEGATIVE_INFINITY, s.queued);
        break;
      case 'done':
      case 'failed':
        sum += series === 'done' ? s.done : s.failed;
        break;
      case 'p95':
        if (s.p95 !== null) value = Math.max(value ?? Number.NEGATIVE_INFINITY, s.p95);
        break;
    }
  }
  return series === 'done' || series === 'failed' ? sum / (last - first) : value;
}

/**
 * What the y axis needs of the window (`start`, `end`]: the versions with ready containers in it,
 * oldest first, and the series' peak. A peak of columns that take a maximum is the maximum of the
 * samples, read in one pass; a mean per column (done/s, failed/s) needs the columns: null then.
 */
export function scan(
  metrics: MetricSample[],
  series: ChartSeries,
  start: number,
  end: number,
): { versions: number[]; peak: number | null } {
  const seen = new Set<number>();
  let peak = 0;
  for (const s of metrics) {
    if (s.at <= start || s.at > end) continue;
    for (const v in s.containers) {
      const ready = s.containers[v]!.ready ?? 0;
      if (ready > 0) seen.add(Number(v));
      if (series === 'ready') peak = Math.max(peak, ready);
    }
    if (series === 'queued') peak = Math.max(peak, s.queued);
    if (series === 'p95' && s.p95 !== null) peak = Math.max(peak, s.p95);
  }
  const versions = [...seen].sort((a, b) => a - b);
  return { versions, peak: series === 'done' || series === 'failed' ? null : Math.max(1, peak) };
}

/** Each version's values (ready), or the series' one row of values, column by column. */
export function seriesValues(c: Columns, series: ChartSeries, versions: number[]): (number | null)[][] {
  const of = (version?: number) => {
    const values = new Array<number | null>(c.length);
    for (let i = 0; i < c.length; i++) values[i] = columnValue(c, i, series, version);
    return values;
  };
  return series === 'ready' ? (versions.length === 0 ? [0] : versions).map(of) : [of()];
}
