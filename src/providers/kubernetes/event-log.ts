// The screen's event log for a Deployment, told from what the watch sees change: new revisions,
// pods becoming ready, failing and terminating, the rollout finishing or failing, the connection
// to the API server dropping and returning, and the commands cutover itself sent. Bounded.
import type { Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent } from '../../engine/types.ts';

const limit = 200;

export class EventLog {
  readonly events: AppEvent[] = [];
  private previous: Snapshot | null = null;

  add(
    at: number,
    appId: string,
    level: AppEvent['level'],
    kind: string,
    message: string,
    extra: Partial<AppEvent> = {},
  ): void {
    this.events.push({ at, appId, level, kind, message, ...extra });
    if (this.events.length > limit) this.events.splice(0, this.events.length - limit);
  }

  /** Records what changed since the last snapshot this log saw. */
  observe(next: Snapshot): void {
    const before = this.previous;
    this.previous = next;
    if (before === null) return;
    const at = next.at;
    const id = next.appId;
    const known = new Set(before.history.map((v) => v.version));
    for (const v of next.history) {
      if (known.has(v.version)) continue;
      const what = v.kind === 'rollback' ? `rollback of v${v.rollbackOf}` : v.kind;
      this.add(at, id, 'info', 'version-created', `v${v.version} (${what}): ${v.image}`, {
        version: v.version,
      });
    }
    const states = new Map(before.containers.map((c) => [c.id, c]));
    for (const c of next.containers) {
      const old = states.get(c.id);
      if (old?.state === c.state && old.reason === c.reason) continue;
      if (c.state === 'ready')
        this.add(at, id, 'info', 'container-ready', `${c.id} ready (v${c.version})`, {
          container: c.id,
          version: c.version,
        });
      else if (c.state === 'draining' && old?.state !== 'draining')
        this.add(at, id, 'info', 'container-draining', `${c.id} terminating (v${c.version})`, {
          container: c.id,
          version: c.version,
        });
      else if (c.reason && c.reason !== old?.reason)
        this.add(at, id, 'warn', 'container-failing', `${c.id}: ${c.reason}`, {
          container: c.id,
          version: c.version,
        });
      else if (!old)
        this.add(at, id, 'info', 'container-started', `${c.id} created (v${c.version})`, {
          container: c.id,
          version: c.version,
        });
    }
    const gone = new Set(next.containers.map((c) => c.id));
    for (const c of before.containers) {
      if (!gone.has(c.id))
        this.add(at, id, 'info', 'container-exited', `${c.id} gone (v${c.version})`, {
          container: c.id,
          version: c.version,
        });
    }
    if (before.rollout && !next.rollout && !next.failed) {
      this.add(
        at,
        id,
        'info',
        'rollout-done',
        `v${before.rollout.to} active: deployment "${id}" successfully rolled out`,
        {
          version: before.rollout.to,
        },
      );
    }
    if (next.failed && next.failed.version !== before.failed?.version) {
      this.add(at, id, 'error', 'rollout-failed', `v${next.failed.version} failed: ${next.failed.reason}`, {
        version: next.failed.version,
      });
    }
    if (next.paused !== before.paused) {
      this.add(
        at,
        id,
        'info',
        next.paused ? 'rollout-paused' : 'rollout-resumed',
        next.paused ? 'rollout paused' : 'rollout resumed',
      );
    }
  }
}
