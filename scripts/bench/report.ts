// What a benchmark hands back, the table `npm run bench` prints, and bench-results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** A measured value with its unit. */
export interface Quantity {
  name: string;
  value: number;
  unit: string;
}

/** One row of the report: a metric as a ratio against a baseline measured in the same run. */
export interface Metric {
  id: string;
  metric: Quantity;
  baseline: Quantity | null;
  /** metric / baseline (the median of the per-run ratios when there are several runs). */
  ratio: number | null;
  /** The ratio's goal; null for rows that only inform. */
  goal: { op: '>=' | '<='; value: number } | null;
  /** The per-run ratios (or values, for rows without a baseline) the median came from. */
  runs: number[];
  /** Set when the metric could not be measured; the run then exits non-zero. */
  missing?: string;
  /** Anything else worth keeping in the JSON (latencies, raw samples). */
  detail?: Record<string, unknown>;
}

export type Verdict = 'pass' | 'miss' | 'info' | 'not run';

export function verdict(m: Metric): Verdict {
  if (m.missing !== undefined) return 'not run';
  if (m.goal === null || m.ratio === null) return 'info';
  return (m.goal.op === '>=' ? m.ratio >= m.goal.value : m.ratio <= m.goal.value) ? 'pass' : 'miss';
}

function num(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(abs >= 1 ? 2 : 3);
}

function quantity(q: Quantity | null): string {
  return q === null ? '-' : `${num(q.value)} ${q.unit}`;
}

function runsText(m: Metric): string {
  if (m.runs.length < 2) return '';
  return `${num(Math.min(...m.runs))}…${num(Math.max(...m.runs))} (n=${m.runs.length})`;
}

/** The report as a text table. */
export function formatTable(metrics: Metric[]): string {
  const rows = [
    ['metric', 'value', 'baseline', 'ratio', 'spread', 'goal', 'result'],
    ...metrics.map((m) => [
      m.metric.name,
      m.missing === undefined ? quantity(m.metric) : '-',
      m.baseline === null ? '-' : `${m.baseline.name}: ${quantity(m.baseline)}`,
      // Three decimals, so a ratio just past its goal never prints as equal to it.
      m.ratio === null ? '-' : m.ratio < 10 ? m.ratio.toFixed(3) : num(m.ratio),
      runsText(m),
      m.goal === null ? '' : `${m.goal.op} ${m.goal.value}`,
      verdict(m) === 'not run' ? `not run: ${m.missing}` : verdict(m),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Writes bench-results/latest.json; returns its path. */
export function writeResults(root: string, metrics: Metric[], seconds: number): string {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const doc = {
    at: new Date().toISOString(),
    seconds,
    machine: { cpus: cpus().length, loadavg: loadavg(), node: process.version },
    metrics: metrics.map((m) => ({ ...m, verdict: verdict(m) })),
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}
