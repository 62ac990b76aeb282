// The watch hub: who watches which app, and when they are sent its snapshot. Watchers get at
// most a few snapshots a second, only of an app that changed, and none while nothing changed.
import type { Snapshot } from '../../engine/snapshot.ts';

export class WatchHub {
  private readonly watchers = new Map<number, { app: string; send: (s: Snapshot) => void }>();
  private sequence = 0;
  private readonly dirty = new Set<string>();
  private allDirty = true;

  /** `snapshotOf` builds an app's snapshot by id. */
  constructor(private readonly snapshotOf: (appId: string) => Snapshot) {}

  /** Sends the app's snapshot now and whenever it changes; returns the unsubscribe. */
  watch(appId: string, send: (snapshot: Snapshot) => void): () => void {
    const id = ++this.sequence;
    this.watchers.set(id, { app: appId, send });
    send(this.snapshotOf(appId));
    return () => this.watchers.delete(id);
  }

  /** These apps changed (null: any may have): the next publish sends their watchers a snapshot. */
  changed(appIds: Iterable<string> | null): void {
    if (appIds === null) this.allDirty = true;
    else for (const id of appIds) this.dirty.add(id);
  }

  publish(): void {
    if (!this.allDirty && this.dirty.size === 0) return;
    if (this.watchers.size === 0) return;
    const byApp = new Map<string, Snapshot>();
    for (const { app, send } of this.watchers.values()) {
      if (!this.allDirty && !this.dirty.has(app)) continue;
      let snapshot = byApp.get(app);
      if (!snapshot) {
        snapshot = this.snapshotOf(app);
        byApp.set(app, snapshot);
      }
      send(snapshot);
    }
    this.allDirty = false;
    this.dirty.clear();
  }
}
