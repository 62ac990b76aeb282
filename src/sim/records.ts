// What a store would hold after the engine's record effects (write-ahead), kept by the simulator
// so it can crash the daemon and restore a new one from them (A1, D1 across restarts).
import type { Effect } from '../engine/effects.ts';
import type { AppRecords } from '../engine/restore.ts';
import type { AppRecord, Version } from '../engine/types.ts';

export class SimRecords {
  private readonly apps = new Map<string, AppRecord>();
  private readonly versions = new Map<string, Map<number, Version>>();
  /** The id counter, as the daemon raises it before it acts on a step. */
  sequence = 0;

  apply(effect: Effect): void {
    if (effect.type === 'record-app') this.apps.set(effect.app.id, { ...effect.app });
    if (effect.type === 'record-version') {
      const byNumber = this.versions.get(effect.appId) ?? new Map<number, Version>();
      byNumber.set(effect.version.number, { ...effect.version });
      this.versions.set(effect.appId, byNumber);
    }
  }

  /** Every app with its versions ascending, as a restarted daemon reads them. */
  list(): AppRecords[] {
    return [...this.apps.values()].map((app) => ({
      app: { ...app },
      versions: [...(this.versions.get(app.id)?.values() ?? [])]
        .sort((a, b) => a.number - b.number)
        .map((v) => ({ ...v })),
    }));
  }
}
