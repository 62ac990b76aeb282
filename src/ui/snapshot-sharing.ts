// A new snapshot arrives every second while metrics are sampled, and usually only its metrics
// and time differ from the last. Keeping the last snapshot's own objects for every field that did
// not change lets the frame reuse what it computed from them (watch-frame's memos compare by
// identity), and says whether anything but the time changed, without serializing the metrics.
import type { Snapshot } from '../engine/snapshot.ts';
import type { MetricSample } from '../engine/types.ts';

/** `next`, with each field equal to `previous`'s replaced by `previous`'s object for it. */
export function shareUnchanged(
  previous: Snapshot | null,
  next: Snapshot,
): { snapshot: Snapshot; changed: boolean } {
  if (previous === null) return { snapshot: next, changed: true };
  const shared: Record<string, unknown> = {};
  let changed = Object.keys(previous).length !== Object.keys(next).length;
  for (const [key, value] of Object.entries(next)) {
    const before = (previous as unknown as Record<string, unknown>)[key];
    const same =
      key === 'at' ||
      (key === 'metrics'
        ? sameSeries(before as MetricSample[], value as MetricSample[])
        : before === value || JSON.stringify(before) === JSON.stringify(value));
    shared[key] = same && key !== 'at' ? before : value;
    if (!same) changed = true;
  }
  return { snapshot: shared as unknown as Snapshot, changed };
}

/**
 * Metrics are a time series every provider appends to and trims from the front, its samples
 * never changed once sent: the same length, first and last sample is the same series.
 */
function sameSeries(before: MetricSample[] | undefined, after: MetricSample[]): boolean {
  if (before === after) return true;
  if (before === undefined || before.length !== after.length) return false;
  if (after.length === 0) return true;
  return (
    before[0]!.at === after[0]!.at &&
    JSON.stringify(before[before.length - 1]) === JSON.stringify(after[after.length - 1])
  );
}
