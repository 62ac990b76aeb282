// Invariants checked against what the engine asked the platform to do (its effects), tracked
// here independently of the engine's own maps: a bug that updates the engine's state but forgets
// the effect (or the reverse) cannot hide. Each is named by the rule it protects.
import { templateFor } from '../engine/containers.ts';
import type { Effect } from '../engine/effects.ts';
import type { EngineEvent } from '../engine/events.ts';
import { specHash } from '../engine/spec-hash.ts';
import { type AppState, desiredVersion, type World } from '../engine/world.ts';
import type { Violation } from './violation.ts';

/** How a version's containers behave in the simulation. */
export type Behaviour = 'good' | 'never-ready' | 'crash-loop' | 'crash-after-ready';

/** A container the effects started and have not terminated. */
export interface Started {
  appId: string;
  function: string;
  version: number;
  template: string;
}

export class EffectChecks {
  /** Started by an effect, not yet terminated by one (nor exited by itself). */
  readonly running = new Map<string, Started>();
  private readonly everStarted = new Set<string>();
  /** When each version number was created, per app: a number created twice is reused (D1). */
  private readonly created = new Map<string, Map<number, number>>();

  constructor(private readonly behaviourOf: (image: string) => Behaviour) {}

  /** One effect, as the platform carries it out. */
  effect(world: World, e: Effect): Violation | null {
    switch (e.type) {
      case 'start-container': {
        if (this.everStarted.has(e.container.id))
          return { rule: 'A1', message: `container id ${e.container.id} started twice (an id reused)` };
        this.everStarted.add(e.container.id);
        this.running.set(e.container.id, {
          appId: e.container.appId,
          function: e.container.function,
          version: e.container.version,
          template: e.container.template,
        });
        return null;
      }
      case 'terminate':
        this.running.delete(e.containerId);
        return null;
      case 'record-version':
        return this.version(world, e.appId, e.version);
      default:
        return null;
    }
  }

  /** The container's process ended by itself. */
  exited(containerId: string): void {
    this.running.delete(containerId);
  }

  private version(world: World, appId: string, v: Extract<Effect, { type: 'record-version' }>['version']) {
    const byNumber = this.created.get(appId) ?? new Map<number, number>();
    this.created.set(appId, byNumber);
    const first = byNumber.get(v.number);
    if (first !== undefined && first !== v.createdAt)
      return { rule: 'D1', message: `${appId} v${v.number} created twice (a number reused)` };
    byNumber.set(v.number, v.createdAt);
    // H1: a version whose containers crash-loop (or never get ready) never becomes active.
    if (v.outcome === 'active' && this.behaviourOf(v.spec.image) !== 'good')
      return {
        rule: 'H1',
        message: `${appId} v${v.number} became active although its containers never serve`,
      };
    // B1: a rollback runs its target's spec, exactly.
    if (v.kind === 'rollback' && v.rollbackOf !== null) {
      const target = world.apps.get(appId)?.versions[v.rollbackOf - 1];
      if (!target || specHash(v.spec) !== target.specHash || v.specHash !== target.specHash)
        return {
          rule: 'B1',
          message: `${appId} v${v.number} rolls back to v${v.rollbackOf} with another spec`,
        };
    }
    return null;
  }

  /** Checks about one whole step: its event, and every effect it produced. */
  step(
    world: World,
    app: AppState | undefined,
    event: EngineEvent,
    effects: Effect[],
    context: { noop: boolean; queuedBefore: string[]; wasDeployed: boolean },
  ): Violation | null {
    // D2: a deploy of the spec that runs (or rolls out) builds nothing, starts nothing, says noop.
    if (event.type === 'deploy' && context.noop) {
      const acted = effects.find((e) => e.type === 'build-image' || e.type === 'start-container');
      if (acted) return { rule: 'D2', message: `a no-op deploy emitted ${acted.type}` };
      const reply = effects.find((e) => e.type === 'reply' && e.requestId === event.requestId);
      if (reply?.type !== 'reply' || !reply.reply.ok || !reply.reply.noop)
        return { rule: 'D2', message: 'a no-op deploy was not answered as a no-op' };
    }
    if (!app) return null;
    // T1: stopping answers every queued input with "app stopped", in the same step.
    if (event.type === 'stop' && context.wasDeployed && app.record.status === 'stopped') {
      const answered = new Set<string>();
      for (const e of effects)
        if (e.type === 'answer-error' && e.error === 'app-stopped') answered.add(e.inputId);
      const dropped = context.queuedBefore.find((id) => !answered.has(id));
      if (dropped)
        return { rule: 'T1', message: `${dropped} was queued at the stop and not answered "app stopped"` };
    }
    const mine = [...this.running].filter(([, c]) => c.appId === app.record.id);
    // S2: once a recreate has begun, nothing of another template runs (as the effects left it).
    const desired = desiredVersion(app);
    if (app.rollout?.strategy === 'recreate' && desired) {
      const templates = new Set(desired.spec.functions.map((fn) => templateFor(desired, fn)));
      const old = mine.find(([, c]) => !templates.has(c.template));
      if (old) return { rule: 'S2', message: `${old[0]} (v${old[1].version}) still runs during a recreate` };
    }
    // T1: after the stop drain, no container of a stopped app runs (as the effects left it).
    if (app.record.status === 'stopped' && mine.length > 0) {
      const since = world.now - (app.record.stoppedAt ?? world.now);
      if (since > world.options.stopDrainMs + 500)
        return { rule: 'T1', message: `${mine[0]![0]} still runs ${since}ms after the stop` };
    }
    return null;
  }
}

/** C1: two rollbacks pressed at once add at most one version. */
export function checkSimultaneousRollbacks(versionsBefore: number, versionsAfter: number): Violation | null {
  return versionsAfter - versionsBefore > 1
    ? { rule: 'C1', message: `two simultaneous rollbacks created ${versionsAfter - versionsBefore} versions` }
    : null;
}
