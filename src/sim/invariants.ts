// The invariants the simulator checks after every step, each named by the rule it protects.
// Each input's fate (exactly-once, R1) is tracked in input-fates.ts.
import { templateFor } from '../engine/containers.ts';
import type { Effect } from '../engine/effects.ts';
import type { EngineEvent } from '../engine/events.ts';
import { specHash } from '../engine/spec-hash.ts';
import { type AppState, desiredVersion, type World } from '../engine/world.ts';
import { InputFates } from './input-fates.ts';
import type { Violation } from './violation.ts';

/** What the engine's state looked like just before a step, for rules about change. */
export interface BeforeStep {
  appId: string | null;
  versions: number;
  rolloutTo: number | null;
  /** P1: what the rollout held when it was paused, if it was paused before this step. */
  paused: Record<string, number> | null;
}

/** What the simulator knows independently of the engine: each input's fate, faults, versions. */
export class InvariantTracker {
  /** Each input's fate (exactly-once, R1). */
  readonly inputs = new InputFates();
  private readonly lastVersion = new Map<string, number>();
  private noopHash: string | null = null;
  /** S1 applies to a rolling rollout that started at target, until a fault disturbs it. */
  private s1: { appId: string; to: number; floor: Map<string, number> } | null = null;

  /** The daemon died: what was in flight inside it is lost with it (A1 allows exactly that). */
  crashed(): void {
    this.inputs.crashed();
    this.s1 = null;
  }

  versionRecorded(appId: string, number: number): Violation | null {
    const last = this.lastVersion.get(appId) ?? 0;
    if (number > last + 1) return { rule: 'D1', message: `${appId} jumped from v${last} to v${number}` };
    if (number > last) this.lastVersion.set(appId, number);
    return null;
  }

  expectNoop(hash: string): void {
    this.noopHash = hash;
  }

  faultInjected(world: World, appName: string): void {
    if (this.s1 && this.s1.appId === world.latestByName.get(appName)) this.s1 = null;
  }

  beforeStep(world: World, appName: string): BeforeStep {
    const appId = world.latestByName.get(appName) ?? null;
    const app = appId === null ? undefined : world.apps.get(appId);
    return {
      appId,
      versions: app?.versions.length ?? 0,
      rolloutTo: app?.rollout?.to ?? null,
      paused: app?.rollout?.paused ?? null,
    };
  }

  /**
   * S1 bookkeeping: a rolling rollout that began in this step, with the app at its target, is
   * held to that target (the smaller of old and new counts, per function) until it ends.
   */
  watchRollout(app: AppState, before: BeforeStep): void {
    const rollout = app.rollout;
    if (!rollout) {
      this.s1 = null;
      return;
    }
    if (rollout.to === before.rolloutTo && before.appId === app.record.id) return;
    this.s1 = null;
    if (rollout.strategy !== 'rolling' || app.current === null) return;
    const from = app.versions[app.current - 1]!;
    const to = app.versions[rollout.to - 1]!;
    const floor = new Map<string, number>();
    for (const fn of to.spec.functions) {
      const old = from.spec.functions.find((f) => f.name === fn.name);
      if (!old) continue;
      const target = Math.min(old.containers, fn.containers);
      if (readyCapacity(app, fn.name) < target) return; // not at its target: S1 does not apply
      floor.set(fn.name, target);
    }
    this.s1 = { appId: app.record.id, to: rollout.to, floor };
  }

  s1Floor(appId: string): Map<string, number> | null {
    return this.s1 && this.s1.appId === appId ? this.s1.floor : null;
  }

  takeNoopHash(): string | null {
    const hash = this.noopHash;
    this.noopHash = null;
    return hash;
  }
}

function readyCapacity(app: AppState, fn: string): number {
  let n = 0;
  for (const c of app.containers.values()) if (c.function === fn && c.state === 'ready' && c.accepting) n++;
  return n;
}

/** Checks made after every step. */
export function checkStep(
  world: World,
  tracker: InvariantTracker,
  appName: string,
  event: EngineEvent,
  before: BeforeStep,
): Violation | null {
  const appId = world.latestByName.get(appName);
  const app = appId === undefined ? undefined : world.apps.get(appId);
  const noopHash = event.type === 'deploy' ? tracker.takeNoopHash() : null;
  if (!app) return null;

  // D1/D2/D4: a no-op deploy or a failed build uses no version number.
  const sameApp = before.appId === app.record.id;
  if (
    sameApp &&
    (event.type === 'build-failed' ||
      (event.type === 'deploy' && noopHash !== null && noopHash === specHash(event.spec)))
  ) {
    if (app.versions.length !== before.versions) {
      return {
        rule: event.type === 'build-failed' ? 'D4' : 'D2',
        message: `${event.type} created v${app.versions.length}`,
      };
    }
  }
  for (let i = 0; i < app.versions.length; i++) {
    if (app.versions[i]!.number !== i + 1)
      return { rule: 'D1', message: `version numbers are not dense: ${i + 1}` };
  }

  // Books balance: queued and in-flight counters match the queues and containers.
  let queued = 0;
  for (const q of app.queues.values()) queued += q.length;
  let inFlight = 0;
  for (const c of app.containers.values()) {
    if (c.inFlight < 0 || c.inFlight > c.concurrency)
      return { rule: 'routing', message: `${c.id} has ${c.inFlight} in flight` };
    inFlight += c.inFlight;
  }
  if (queued !== app.queued || inFlight !== app.inFlight) {
    return {
      rule: 'exactly-once',
      message: `counters drifted: queued ${app.queued}/${queued}, in flight ${app.inFlight}/${inFlight}`,
    };
  }

  // S1: during a rolling rollout of an app that was at its target, capacity never drops.
  tracker.watchRollout(app, before);
  const floor = tracker.s1Floor(app.record.id);
  if (floor && app.rollout?.strategy === 'rolling') {
    for (const [fn, target] of floor) {
      const capacity = readyCapacity(app, fn);
      if (capacity < target) {
        return {
          rule: 'S1',
          message: `${fn} ready capacity ${capacity} < target ${target} during v${app.rollout.to}'s rollout`,
        };
      }
    }
  }

  // S2: once a recreate has begun, no container of another template is alive.
  const desired = desiredVersion(app);
  if (app.rollout?.strategy === 'recreate' && desired) {
    const templates = new Set(desired.spec.functions.map((fn) => templateFor(desired, fn)));
    for (const c of app.containers.values()) {
      if (!templates.has(c.template)) {
        return { rule: 'S2', message: `${c.id} (v${c.version}) alive during v${desired.number}'s recreate` };
      }
    }
  }

  // T1: a stopped app queues nothing and takes no inputs; after the stop drain nothing runs.
  if (app.record.status === 'stopped') {
    if (app.queued > 0) return { rule: 'T1', message: `${app.queued} inputs queued after stop` };
    for (const c of app.containers.values()) {
      if (c.accepting) return { rule: 'T1', message: `${c.id} still takes inputs after stop` };
      if (world.now - (app.record.stoppedAt ?? 0) > world.options.stopDrainMs + 500) {
        return {
          rule: 'T1',
          message: `${c.id} still runs ${world.now - app.record.stoppedAt!}ms after stop`,
        };
      }
    }
  }

  // Nothing in progress: only the current version's template runs.
  const settled =
    app.record.status === 'deployed' &&
    !app.rollout &&
    app.failure === null &&
    !world.buildByName.has(appName);
  if (settled && app.current !== null) {
    const current = app.versions[app.current - 1]!;
    const templates = new Set(current.spec.functions.map((fn) => templateFor(current, fn)));
    for (const c of app.containers.values()) {
      if (c.state !== 'draining' && (!templates.has(c.template) || c.version !== current.number)) {
        return {
          rule: 'converged',
          message: `${c.id} (v${c.version}) runs while v${current.number} is active and nothing is in progress`,
        };
      }
    }
  }
  return null;
}

/**
 * P1: a rollout that was paused before a step and still is after it started no container beyond
 * what it held (crashed ones may be replaced up to that) and began no drain.
 */
export function checkPaused(
  world: World,
  appName: string,
  before: BeforeStep,
  effects: readonly Effect[],
): Violation | null {
  const appId = world.latestByName.get(appName);
  const app = appId === undefined ? undefined : world.apps.get(appId);
  const rollout = app?.rollout;
  if (!app || !rollout?.paused || before.paused === null || before.rolloutTo !== rollout.to) return null;
  if (before.appId !== app.record.id) return null;
  for (const effect of effects) {
    if (effect.type === 'stop-inputs' && world.containerApp.get(effect.containerId) === app.record.id) {
      return {
        rule: 'P1',
        message: `${effect.containerId} began draining while v${rollout.to}'s rollout was paused`,
      };
    }
  }
  const version = app.versions[rollout.to - 1]!;
  for (const fn of version.spec.functions) {
    const template = templateFor(version, fn);
    const fresh = [...app.containers.values()].filter(
      (c) => c.template === template && c.state !== 'draining',
    );
    const held = Math.min(fn.containers, before.paused[fn.name] ?? 0);
    if (fresh.length > held) {
      return { rule: 'P1', message: `${fn.name} has ${fresh.length} new containers while paused at ${held}` };
    }
  }
  return null;
}

/** Checks made once the quiet period has let everything settle. */
export function checkFinal(world: World, tracker: InvariantTracker, appName: string): Violation | null {
  const pending = tracker.inputs.pending();
  if (pending.length > 0) {
    return {
      rule: 'exactly-once',
      message: `${pending.length} inputs never completed nor answered (first: ${pending[0]})`,
    };
  }
  const appId = world.latestByName.get(appName);
  const app = appId === undefined ? undefined : world.apps.get(appId);
  if (!app || app.record.status === 'stopped') {
    if (app && app.containers.size > 0) return { rule: 'T1', message: 'containers still run after stop' };
    return null;
  }
  if (app.rollout) return { rule: 'converged', message: `v${app.rollout.to}'s rollout never ended` };
  if (app.current === null) {
    if (app.containers.size > 0)
      return { rule: 'converged', message: 'containers run with no version active' };
    return null;
  }
  const current = app.versions[app.current - 1]!;
  for (const fn of current.spec.functions) {
    const template = templateFor(current, fn);
    const running = [...app.containers.values()].filter((c) => c.function === fn.name);
    if (
      running.length !== fn.containers ||
      running.some((c) => c.template !== template || c.state !== 'ready')
    ) {
      return {
        rule: 'converged',
        message: `${fn.name}: ${running.length} containers (${running.map((c) => `v${c.version}:${c.state}`).join(' ')}) but v${current.number} wants ${fn.containers} ready`,
      };
    }
  }
  if (app.containers.size !== current.spec.functions.reduce((n, fn) => n + fn.containers, 0)) {
    return { rule: 'converged', message: 'containers of removed functions still run' };
  }
  return null;
}
