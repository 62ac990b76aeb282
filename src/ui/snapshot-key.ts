// Whether a snapshot changed anything the screen shows: everything but the time it was taken.
import type { Snapshot } from '../engine/snapshot.ts';

/** Equal keys mean nothing to redraw or print. */
export function snapshotKey(snapshot: Snapshot): string {
  return JSON.stringify({ ...snapshot, at: 0 });
}
