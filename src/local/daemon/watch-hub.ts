// The watch hub: who watches which app, and when they are sent its snapshot. Watchers get at
// most a few snapshots a second, and none while nothing changed.
import type { Snapshot } from '../../engine/snapshot.ts';

export class WatchHub {
  private readonly watchers = new Map<number, { app: string; send: (s: Snapshot) => void }>();
  private sequence = 0;
  private dirty = true;

  /** `snapshotOf` builds an app's snapshot by id. */
  constructor(private readonly snapshotOf: (appId: string) => Snapshot) {}

  /** Sends the app's snapshot now and whenever it changes; returns the unsubscribe. */
  watch(appId: string, send: (snapshot: Snapshot) => void): () => void {
    const id = ++this.sequence;
    this.watchers.set(id, { app: appId, send });
    send(this.snapshotOf(appId));
    return () => this.watchers.delete(id);
  }

  /** Something changed: the next publish sends. */
  changed(): void {
    this.dirty = true;
  }

  publish(): void {
    if (!this.dirty || this.watchers.size === 0) return;
    this.dirty = false;
    const byApp = new Map<string, Snapshot>();
    for (const { app, send } of this.watchers.values()) {
      let snapshot = byApp.get(app);
      if (!snapshot) {
        snapshot = this.snapshotOf(app);
        byApp.set(app, snapshot);
      }
      send(snapshot);
    }
  }
}
