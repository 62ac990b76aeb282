// Inputs: queued, in flight, rates and latency; null fields read "not reported", never 0.
import type { InputSummary } from '../../engine/snapshot.ts';
import { millis, rate } from './format.ts';
import { clip } from './line.ts';

const notReported = 'not reported';

/** `label value` cells in display order. */
export function inputCells(inputs: InputSummary): string[] {
  const show = (v: number | null, f: (n: number) => string) => (v === null ? notReported : f(v));
  return [
    `queued ${show(inputs.queued, String)}`,
    `in flight ${show(inputs.inFlight, String)}`,
    `done/s ${show(inputs.donePerSecond, rate)}`,
    `failed/s ${show(inputs.failedPerSecond, rate)}`,
    `p50 ${show(inputs.p50, millis)}`,
    `p95 ${show(inputs.p95, millis)}`,
  ];
}

/** The cells packed into as few lines of `width` as they fit, after an `Inputs` label. */
export function inputLines(inputs: InputSummary, width: number): string[] {
  const prefix = 'Inputs  ';
  const values = Object.values(inputs);
  if (values.every((v) => v === null)) return [clip(`${prefix}${notReported} by this platform`, width)];
  const lines: string[] = [];
  let current = prefix;
  for (const cell of inputCells(inputs)) {
    const sep = current === prefix ? '' : '  ';
    if (current.length + sep.length + cell.length > width && current.trim() !== '' && current !== prefix) {
      lines.push(current);
      current = ' '.repeat(prefix.length) + cell;
    } else {
      current += sep + cell;
    }
  }
  lines.push(current);
  return lines.map((l) => clip(l, width));
}
