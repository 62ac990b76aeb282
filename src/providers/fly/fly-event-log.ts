// The screen's event log for a Fly app, told from what the poller sees change (new releases,
// machines becoming healthy, failing a check, draining, going away; a release finishing or
// failing; bluegreen's colours changing hands), the connection to Fly dropping and returning, and
// the output of the `fly` commands cutover runs. Bounded.
import type { Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent } from '../../engine/types.ts';

const limit = 300;

export class FlyEventLog {
  readonly events: AppEvent[] = [];
  private previous: Snapshot | null = null;

  constructor(private readonly app: string) {}

  add(
    level: AppEvent['level'],
    kind: string,
    message: string,
    extra: Partial<AppEvent> = {},
    at = Date.now(),
  ): void {
    this.events.push({ at, appId: this.app, level, kind, message, ...extra });
    if (this.events.length > limit) this.events.splice(0, this.events.length - limit);
  }

  /** Records what changed since the last snapshot this log saw. */
  observe(next: Snapshot): void {
    const before = this.previous;
    this.previous = next;
    if (before === null) return;
    const at = next.at;
    const known = new Set(before.history.map((v) => v.version));
    for (const v of [...next.history].reverse()) {
      if (known.has(v.version)) continue;
      const what = v.kind === 'rollback' ? `rollback of v${v.rollbackOf}` : v.kind;
      this.add(
        'info',
        'version-created',
        `release v${v.version} (${what}, ${v.strategy}) by ${v.user}: ${v.image}`,
        { version: v.version },
        at,
      );
    }
    const was = new Map(before.containers.map((c) => [c.id, c]));
    for (const c of next.containers) {
      const old = was.get(c.id);
      const where = `${c.id} (${c.function}, v${c.version}${c.location ? `, ${c.location}` : ''})`;
      const extra = { container: c.id, version: c.version };
      if (old && old.state === c.state && old.version === c.version && old.reason === c.reason) continue;
      if (c.state === 'ready') this.add('info', 'container-ready', `${where} healthy`, extra, at);
      else if (c.state === 'failed')
        this.add('warn', 'container-failing', `${where}: ${c.reason ?? 'failed'}`, extra, at);
      else if (c.state === 'draining' && old?.state !== 'draining')
        this.add('info', 'container-draining', `${where} ${c.reason ?? 'draining'}`, extra, at);
      else if (c.state === 'exited' && old?.state !== 'exited')
        this.add('info', 'container-exited', `${where} ${c.reason ?? 'stopped'}`, extra, at);
      else if (c.state === 'starting' && (!old || old.version !== c.version || old.state !== 'starting'))
        this.add('info', 'container-started', `${where} starting`, extra, at);
    }
    const now = new Set(next.containers.map((c) => c.id));
    for (const c of before.containers) {
      if (!now.has(c.id))
        this.add(
          'info',
          'container-exited',
          `${c.id} (${c.function}, v${c.version}) destroyed`,
          { container: c.id, version: c.version },
          at,
        );
    }
    const r = before.rollout;
    if (r && next.rollout?.to !== r.to) {
      const entry = next.history.find((h) => h.version === r.to);
      if (entry?.outcome === 'active' || entry?.outcome === 'superseded')
        this.add('info', 'rollout-done', `release v${r.to} complete`, { version: r.to }, at);
    }
    if (next.failed && next.failed.version !== before.failed?.version) {
      this.add(
        'error',
        'rollout-failed',
        `release v${next.failed.version} failed: ${next.failed.reason}`,
        { version: next.failed.version },
        at,
      );
    }
    const colours = next.rollout?.message?.includes(' bluegreen: ') ? next.rollout : null;
    if (colours && (before.rollout?.to !== colours.to || before.rollout?.phase !== colours.phase)) {
      const phase = {
        starting: 'green starting beside blue',
        rolling: 'green healthy, both colours up',
        draining: 'blue cordoned and going',
      }[colours.phase as 'starting' | 'rolling' | 'draining'];
      this.add(
        'info',
        'bluegreen',
        // The colours first: on a narrow screen the end of the line is what gets cut.
        `${colours.message?.replace(/^.*? bluegreen: /, '')} (${phase ?? colours.phase})`,
        { version: colours.to },
        at,
      );
    }
  }
}
