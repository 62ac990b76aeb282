// M1/M2: ready containers per version and queue depth over the last samples, with version
// markers under the time axis. Series are drawn with asciichart and merged cell by cell, each
// version with its own line style, so they stay apart without colour.
import { plot } from 'asciichart';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import type { MetricSample } from '../../engine/types.ts';
import { type Line, type Segment, seg, type Tone } from './line.ts';

const thin = ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const double = ['╬', '╣', '═', '═', '═', '╚', '╔', '╗', '╝', '║'];
const heavy = ['╋', '┫', '╺', '╸', '━', '┗', '┏', '┓', '┛', '┃'];
const styles = [thin, double, heavy];
const superscripts = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** Width of the y-axis labels. */
export const labelWidth = 4;

/** Samples that fit in `width` columns: one column per second, newest at the right. */
export function chartWindow(metrics: MetricSample[], width: number): MetricSample[] {
  const columns = Math.max(1, width - labelWidth - 2);
  return metrics.slice(-columns);
}

/** Versions with ready containers in the window, oldest first, at most three (the newest). */
export function chartVersions(samples: MetricSample[]): number[] {
  const seen = new Set<number>();
  for (const s of samples) {
    for (const [v, states] of Object.entries(s.containers)) if ((states.ready ?? 0) > 0) seen.add(Number(v));
  }
  return [...seen].sort((a, b) => a - b).slice(-3);
}

interface Cell {
  ch: string;
  tone?: Tone;
}

/** Draws series into one grid of `height` lines; later series win where they overlap. */
function drawGrid(series: { values: number[]; tone: Tone; symbols: string[] }[], height: number): Cell[][] {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const format = (x: number, i: number) =>
    (i === 0 || i === height - 1 ? String(Math.round(x)) : '').padStart(labelWidth);
  let grid: Cell[][] = [];
  series.forEach((s, index) => {
    const text = plot(s.values, { min: 0, max, height: height - 1, offset: 2, format, symbols: s.symbols });
    const rows = text.split('\n');
    if (index === 0) {
      grid = rows.map((r) =>
        [...r].map((ch, x): Cell => (x > labelWidth && ch !== ' ' ? { ch, tone: s.tone } : { ch })),
      );
      return;
    }
    rows.forEach((r, y) => {
      [...r].forEach((ch, x) => {
        const row = grid[y];
        if (row !== undefined && x > labelWidth && ch !== ' ') row[x] = { ch, tone: s.tone };
      });
    });
  });
  return grid;
}

function gridLines(grid: Cell[][]): Line[] {
  return grid.map((row) => {
    const line: Segment[] = [];
    for (const cell of row) {
      const last = line[line.length - 1];
      if (last !== undefined && last.tone === cell.tone) last.text += cell.ch;
      else line.push(seg(cell.ch, cell.tone));
    }
    const last = line[line.length - 1];
    if (last !== undefined) last.text = last.text.trimEnd();
    return line.filter((s) => s.text !== '');
  });
}

/** Column (from the left of the line) of each sample: the label, then the axis at sample 0. */
export function sampleColumn(index: number): number {
  return labelWidth + index;
}

/** Which samples' columns each version's rollout started in (history createdAt). */
export function versionMarks(samples: MetricSample[], history: VersionSummary[]): Map<number, number[]> {
  const marks = new Map<number, number[]>();
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined) return marks;
  for (const v of [...history].sort((a, b) => a.version - b.version)) {
    // A sample at t covers the second (t - 1000, t].
    if (v.createdAt <= first.at - 1000 || v.createdAt > last.at) continue;
    const index = samples.findIndex((s) => s.at >= v.createdAt);
    const column = sampleColumn(index);
    marks.set(column, [...(marks.get(column) ?? []), v.version]);
  }
  return marks;
}

/**
 * M2: the marker line under the time axis (`▲` and the version where it fits, a superscript
 * count where several versions share a column) and the legend for what did not fit.
 */
export function markerLines(
  marks: Map<number, number[]>,
  width: number,
  now: number,
  samples: MetricSample[],
): string[] {
  const cells = Array.from({ length: width }, () => ' ');
  const legend: string[] = [];
  const columns = [...marks.keys()].sort((a, b) => a - b);
  columns.forEach((column, i) => {
    const versions = marks.get(column) ?? [];
    const next = columns[i + 1] ?? width;
    const mark = versions.length === 1 ? '▲' : (superscripts[versions.length] ?? '⁺');
    const label = versions.length === 1 ? `v${versions[0]}` : '';
    if (column < width) cells[column] = mark;
    if (label !== '' && column + 1 + label.length < next && column + 1 + label.length <= width) {
      [...label].forEach((ch, k) => {
        cells[column + 1 + k] = ch;
      });
    } else {
      const sample = samples[column - labelWidth];
      const when = sample === undefined ? '' : ` -${Math.max(0, Math.round((now - sample.at) / 1000))}s`;
      legend.push(`${mark}col ${column + 1}${when}: ${versions.map((v) => `v${v}`).join(' ')}`);
    }
  });
  const lines = [cells.join('').trimEnd()];
  if (legend.length > 0) lines.push(legend.join(' · ').slice(0, width));
  return lines;
}

/** Title line with the series key: each version's line style. */
function titleLine(title: string, versions: number[], newVersion: number | null): Line {
  const line: Line = [seg(title, 'dim')];
  versions.forEach((v, i) => {
    const style = styles[i % styles.length]!;
    line.push(seg(' '), seg(`${style[4]} v${v}`, v === newVersion ? 'new' : 'old'));
  });
  return line;
}

/**
 * The chart panel in at most `height` lines: ready containers per version, then (when there
 * is room) queue depth, then the marker line. Empty when there is no room or no samples.
 */
export function chartLines(snapshot: Snapshot, width: number, height: number, now: number): Line[] {
  if (height < 4) return [];
  const samples = chartWindow(snapshot.metrics, width);
  if (samples.length === 0) return [[seg('Chart  no metrics reported', 'dim')]];
  const newVersion = snapshot.rollout?.to ?? snapshot.version;
  const versions = chartVersions(samples);
  const marks = versionMarks(samples, snapshot.history);
  const markers = markerLines(marks, width, now, samples);
  const room = height - markers.length;
  // Queue depth gets its own chart below once there is room for both (title + 2 lines each),
  // and only where the platform reports a queue: Kubernetes has none, and 0 would be a lie.
  const queueReported = snapshot.inputs.queued !== null;
  const queueHeight = queueReported && room >= 9 ? Math.max(2, Math.floor((room - 2) / 3)) : 0;
  const readyHeight = room - 1 - (queueHeight > 0 ? queueHeight + 1 : 0);
  if (readyHeight < 2) return [];
  const readySeries = (versions.length === 0 ? [null] : versions).map((v, i) => ({
    values: samples.map((s) => (v === null ? 0 : (s.containers[String(v)]?.ready ?? 0))),
    tone: (v === newVersion ? 'new' : 'old') as Tone,
    symbols: styles[i % styles.length]!,
  }));
  const lines: Line[] = [
    titleLine('Ready containers', versions, newVersion),
    ...gridLines(drawGrid(readySeries, readyHeight)),
  ];
  if (queueHeight > 0) {
    const queued = samples.map((s) => s.queued);
    lines.push([seg(`Queued  now ${queued[queued.length - 1] ?? 0}`, 'dim')]);
    lines.push(...gridLines(drawGrid([{ values: queued, tone: 'queue', symbols: thin }], queueHeight)));
  }
  lines.push(...markers.map((m) => [seg(m, 'accent')]));
  return lines;
}
