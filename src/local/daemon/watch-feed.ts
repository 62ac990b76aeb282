// One watcher's feed over its socket, latest-wins: while the socket cannot take more (a
// suspended `watch`, a slow `watch --json | consumer`), snapshots are not queued; only the newest
// is kept, and it is sent when the socket drains. A slow watcher costs the daemon one snapshot.
// A watcher that asked for appended metrics gets each snapshot's new samples only
// (metric-window.ts), worked out when it is written, against what was written before.
import type { Socket } from 'node:net';
import type { Snapshot } from '../../engine/snapshot.ts';
import { metricsEncoder } from './metric-window.ts';

export function watchFeed(
  socket: Socket,
  id: number,
  o: { appendedMetrics?: boolean } = {},
): (snapshot: Snapshot) => void {
  const encode = o.appendedMetrics ? metricsEncoder() : (snapshot: Snapshot) => snapshot;
  let newest: Snapshot | null = null;
  let blocked = false;
  const send = (snapshot: Snapshot): void => {
    if (socket.destroyed) return;
    if (blocked) {
      newest = snapshot;
      return;
    }
    if (!socket.write(`${JSON.stringify({ id, result: encode(snapshot) })}\n`)) {
      blocked = true;
      socket.once('drain', () => {
        blocked = false;
        const next = newest;
        newest = null;
        if (next) send(next);
      });
    }
  };
  return send;
}
