// A watch's metrics as appended samples. A snapshot carries the app's recent metrics (three
// minutes of one-second samples, most of its bytes), and from one snapshot to the next the window
// only gains the newest sample and loses the oldest. A watch that asks for it (`metrics:
// 'appended'`) gets the whole window once, then each snapshot says how many samples fell off the
// front and which were added; the client keeps the window. Samples are never changed once
// recorded, so the daemon knows which it sent by identity.
import type { Snapshot } from '../../engine/snapshot.ts';
import type { MetricSample } from '../../engine/types.ts';

/** What a snapshot carries instead of `metrics` once the watcher has the window. */
export interface AppendedMetrics {
  /** Samples dropped from the front of the window the watcher has. */
  dropped: number;
  /** The time of the last sample the watcher has: a check that both sides hold the same window. */
  after: number;
  samples: MetricSample[];
}

/** A snapshot on the wire: whole, or with its metrics as appended samples. */
export type WatchedSnapshot = Snapshot | (Omit<Snapshot, 'metrics'> & { appendedMetrics: AppendedMetrics });

/** The daemon's side, one per watch: each snapshot as the watcher needs it, given what it was sent. */
export function metricsEncoder(): (snapshot: Snapshot) => WatchedSnapshot {
  let sent: { last: MetricSample; length: number } | null = null;
  return (snapshot) => {
    const { metrics } = snapshot;
    const at = sent === null ? -1 : metrics.lastIndexOf(sent.last);
    const previous = sent;
    sent = metrics.length === 0 ? null : { last: metrics[metrics.length - 1]!, length: metrics.length };
    if (previous === null || at < 0) return snapshot;
    const { metrics: _whole, ...rest } = snapshot;
    return {
      ...rest,
      appendedMetrics: {
        dropped: previous.length - 1 - at,
        after: previous.last.at,
        samples: metrics.slice(at + 1),
      },
    };
  };
}

/**
 * The client's side, one per connection: whole snapshots from what arrives. Throws when an
 * update does not fit the window it has (the connection is then not to be trusted).
 */
export function metricsDecoder(): (wire: WatchedSnapshot) => Snapshot {
  let window: MetricSample[] = [];
  return (wire) => {
    if (!('appendedMetrics' in wire)) {
      window = wire.metrics;
      return wire;
    }
    const update = wire.appendedMetrics;
    const last = window[window.length - 1];
    if (last === undefined || last.at !== update.after || update.dropped > window.length)
      throw new Error('metrics update does not follow the window received');
    if (update.dropped > 0 || update.samples.length > 0)
      window = window.slice(update.dropped).concat(update.samples);
    // The update is this connection's own, just parsed: it becomes the snapshot.
    const snapshot = wire as unknown as Snapshot & { appendedMetrics?: AppendedMetrics };
    snapshot.metrics = window;
    delete snapshot.appendedMetrics;
    return snapshot;
  };
}
