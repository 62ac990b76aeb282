// M1/M2: one series at a time (`c` cycles them) across the panel's whole width, over a time
// window that fits it (1, 2, 5, 10, 15, 30 or 60 seconds a column), with a time axis and version
// markers under it. Ready containers are drawn per version, each version in a colour and line
// style of its own that it keeps for as long as it is on screen; a legend names every one drawn.
import type { Snapshot } from '../../engine/snapshot.ts';
import { bucket, type ChartSeries, chartSeries, scan, seriesValues } from './chart-columns.ts';
import { millis } from './format.ts';
import type { FrameMemo } from './frame-memo.ts';
import { clipLine, type Line, type Segment, seg, type Tone } from './line.ts';

export { type ChartSeries, chartSeries };

const titles: Record<ChartSeries, string> = {
  ready: 'Ready containers per version',
  queued: 'Queued inputs',
  done: 'Inputs done/s',
  failed: 'Inputs failed/s',
  p95: 'p95 latency',
};

/** A line style: horizontal, vertical, and the four corners (up-from-left, down-from-left…). */
interface LineStyle {
  h: string;
  v: string;
  /** Rising: the corner where it leaves the old level, and where it reaches the new one. */
  upFrom: string;
  upTo: string;
  downFrom: string;
  downTo: string;
}

const styles: LineStyle[] = [
  { h: '─', v: '│', upFrom: '╯', upTo: '╭', downFrom: '╮', downTo: '╰' },
  { h: '━', v: '┃', upFrom: '┛', upTo: '┏', downFrom: '┓', downTo: '┗' },
  { h: '═', v: '║', upFrom: '╝', upTo: '╔', downFrom: '╗', downTo: '╚' },
  { h: '┄', v: '┆', upFrom: '╯', upTo: '╭', downFrom: '╮', downTo: '╰' },
];
const versionTones: Tone[] = ['series0', 'series1', 'series2', 'series3'];

/** A version's line style and colour: fixed by its number, so it never changes while shown. */
export function versionStyle(version: number): { style: LineStyle; tone: Tone } {
  const i = version % styles.length;
  return { style: styles[i]!, tone: versionTones[i]! };
}

/** Seconds per column, the smallest that fits `span` seconds in `columns`. */
const steps = [1, 2, 5, 10, 15, 30, 60];
export function secondsPerColumn(spanSeconds: number, columns: number): number {
  return steps.find((s) => s * columns >= spanSeconds) ?? steps[steps.length - 1]!;
}

/** `-4m30s`, `-45s`, `now`. */
function ago(seconds: number): string {
  if (seconds <= 0) return 'now';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m === 0 ? `-${s}s` : s === 0 ? `-${m}m` : `-${m}m${s}s`;
}

/** The plot: a character and a tone per cell, row 0 at the top. */
interface Grid {
  chars: string[][];
  tones: (Tone | undefined)[][];
}

/** Draws one series into the grid; later series are drawn over earlier ones. */
function draw(grid: Grid, values: (number | null)[], max: number, style: LineStyle, tone: Tone): void {
  const height = grid.chars.length;
  let previous: number | null = null;
  let x = 0;
  const put = (r: number, ch: string) => {
    grid.chars[r]![x] = ch;
    grid.tones[r]![x] = tone;
  };
  for (; x < values.length; x++) {
    const v = values[x]!;
    if (v === null) {
      previous = null;
      continue;
    }
    const row = height - 1 - Math.round((v / max) * (height - 1));
    if (previous === null || previous === row) put(row, style.h);
    else if (row < previous) {
      put(previous, style.upFrom);
      for (let r = row + 1; r < previous; r++) put(r, style.v);
      put(row, style.upTo);
    } else {
      put(previous, style.downFrom);
      for (let r = previous + 1; r < row; r++) put(r, style.v);
      put(row, style.downTo);
    }
    previous = row;
  }
}

/** How a value reads on the y axis. */
function label(series: ChartSeries, value: number): string {
  if (series === 'p95') return millis(value);
  if (series === 'done' || series === 'failed')
    return value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return String(Math.round(value));
}

/**
 * M2: where each version's rollout started, as `▲v8` under its column; several in one column
 * read `²v7,v8`. A label that would run into the next one moves to the line below, with its time.
 */
export function markerLines(
  snapshot: Snapshot,
  offset: number,
  columns: number,
  step: number,
  end: number,
  width: number,
): Line[] {
  const start = end - columns * step * 1000;
  const byColumn = new Map<number, number[]>();
  for (const v of [...snapshot.history].sort((a, b) => a.version - b.version)) {
    if (v.createdAt <= start || v.createdAt > end) continue;
    const x = Math.min(columns - 1, Math.floor((v.createdAt - start - 1) / (step * 1000)));
    byColumn.set(x, [...(byColumn.get(x) ?? []), v.version]);
  }
  if (byColumn.size === 0) return [];
  const cells = Array.from({ length: width }, () => ' ');
  const later: string[] = [];
  let free = 0;
  for (const [x, versions] of [...byColumn].sort((a, b) => a[0] - b[0])) {
    const mark = versions.length === 1 ? '▲' : (['', '', '²', '³', '⁴', '⁵'][versions.length] ?? '⁺');
    const text = `${mark}${versions.map((v) => `v${v}`).join(',')}`;
    const at = offset + x;
    if (at >= free && at + text.length <= width) {
      [...text].forEach((ch, k) => {
        cells[at + k] = ch;
      });
      free = at + text.length + 1;
    } else {
      // Its mark goes under its column where that is free; the line below names it either way.
      if (at < width && cells[at] === ' ') cells[at] = mark;
      later.push(
        `${mark} ${versions.map((v) => `v${v}`).join(',')} ${ago(Math.round((end - (start + (x + 1) * step * 1000)) / 1000))}`,
      );
    }
  }
  const lines: Line[] = [[seg(cells.join('').trimEnd(), 'accent')]];
  if (later.length > 0) lines.push(clipLine([seg(`also: ${later.join(' · ')}`, 'accent')], width));
  return lines;
}

/** The title line: which series, its legend (every version drawn, in its style), the key. */
function titleLine(series: ChartSeries, versions: number[], newest: number | null, width: number): Line {
  const line: Line = [seg(titles[series], 'dim')];
  if (series === 'ready') {
    for (const v of versions) {
      const { style, tone } = versionStyle(v);
      line.push(seg(' '), seg(`${style.h}${style.h} v${v}${v === newest ? ' (new)' : ''}`, tone));
    }
  }
  line.push(
    seg(`  c: ${titles[chartSeries[(chartSeries.indexOf(series) + 1) % chartSeries.length]!]}`, 'dim'),
  );
  return clipLine(line, width);
}

/** What the plot rows are drawn from. */
interface Plot {
  all: (number | null)[][];
  versions: number[];
  series: ChartSeries;
  peak: number;
  top: string;
  labelWidth: number;
  plotWidth: number;
  plotHeight: number;
}

/** The plot's rows: the y axis, and each series drawn in its version's style. */
function plotLines(p: Plot): Line[] {
  const grid: Grid = { chars: [], tones: [] };
  for (let r = 0; r < p.plotHeight; r++) {
    grid.chars.push(new Array<string>(p.plotWidth).fill(' '));
    grid.tones.push(new Array<Tone | undefined>(p.plotWidth).fill(undefined));
  }
  p.all.forEach((values, i) => {
    const version = p.versions[i];
    const { style, tone } =
      p.series === 'ready' && version !== undefined
        ? versionStyle(version)
        : { style: styles[0]!, tone: 'queue' as Tone };
    draw(grid, values, p.peak, style, p.series === 'failed' ? 'error' : tone);
  });
  return grid.chars.map((chars, r) => {
    const axis =
      r === 0
        ? `${p.top.padStart(p.labelWidth - 1)} ┤`
        : r === p.plotHeight - 1
          ? `${'0'.padStart(p.labelWidth - 1)} ┤`
          : `${' '.repeat(p.labelWidth)}┤`;
    const line: Segment[] = [seg(axis, 'dim')];
    const tones = grid.tones[r]!;
    // Runs of one tone become one segment.
    for (let x = 0; x < chars.length; ) {
      let to = x + 1;
      while (to < chars.length && tones[to] === tones[x]) to++;
      const text = chars.slice(x, to).join('');
      const last = line[line.length - 1]!;
      if (last.tone === tones[x]) last.text += text;
      else line.push(seg(text, tones[x]));
      x = to;
    }
    const tail = line[line.length - 1]!;
    tail.text = tail.text.trimEnd();
    return line.filter((s) => s.text !== '');
  });
}

/**
 * The chart panel in at most `height` lines: title and legend, the plot, the time axis, the
 * version markers. Empty when there is no room; one line when the platform reports no metrics.
 */
export function chartLines(
  snapshot: Snapshot,
  width: number,
  height: number,
  now: number,
  series: ChartSeries = 'ready',
  memo?: Pick<FrameMemo, 'get'>,
): Line[] {
  if (height < 4) return [];
  const metrics = snapshot.metrics;
  if (metrics.length === 0) return [[seg('Chart  no metrics reported', 'dim')]];
  // Kubernetes has no queue: a line of zeros would be a lie.
  if (series === 'queued' && snapshot.inputs.queued === null)
    return [[seg(`${titles.queued}  not reported by this platform`, 'dim')]];
  const end = Math.max(now, metrics[metrics.length - 1]!.at);
  const first = metrics[0]!.at;
  // The y labels first: their width depends on the values, and the plot gets the rest.
  const probeColumns = Math.max(10, width - 8);
  const step = secondsPerColumn(Math.ceil((end - first) / 1000) + 1, probeColumns);
  const probe = scan(metrics, series, end - probeColumns * step * 1000, end);
  const { versions } = probe;
  const peak =
    probe.peak ??
    Math.max(
      1,
      ...seriesValues(bucket(metrics, probeColumns, step, end), series, versions)
        .flat()
        .map((v) => v ?? 0),
    );
  const top = label(series, peak);
  const labelWidth = Math.max(top.length, 1) + 1;
  const plotWidth = Math.max(10, width - labelWidth - 1);
  const columns = bucket(metrics, plotWidth, step, end);
  const markers = markerLines(snapshot, labelWidth + 1, plotWidth, step, end, width);
  const plotHeight = height - 2 - markers.length;
  if (plotHeight < 2) return [];

  const all = seriesValues(columns, series, versions);
  const newest = snapshot.rollout?.to ?? snapshot.version;
  const plot: Plot = { all, versions, series, peak, top, labelWidth, plotWidth, plotHeight };
  // The plot is the same while every column's value is: most seconds of a steady app.
  const key = `${series}|${peak}|${top}|${plotWidth}|${plotHeight}|${versions}|${all.map((v) => v.join()).join('|')}`;
  const lines: Line[] = [
    titleLine(series, versions, newest, width),
    ...(memo === undefined ? plotLines(plot) : memo.get('chart-plot', [key], () => plotLines(plot))),
  ];
  // The time axis: the window's start on the left, its middle, `now` on the right.
  const span = plotWidth * step;
  const axis = Array.from({ length: width }, () => ' ');
  const place = (text: string, at: number) => {
    [...text].forEach((ch, k) => {
      if (at + k < width) axis[at + k] = ch;
    });
  };
  place(ago(span), labelWidth + 1);
  const middle = ago(Math.round(span / 2));
  place(middle, labelWidth + 1 + Math.floor(plotWidth / 2) - Math.floor(middle.length / 2));
  place('now', width - 3);
  lines.push([seg(axis.join('').trimEnd(), 'dim')]);
  lines.push(...markers);
  return lines;
}
