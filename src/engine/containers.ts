// Containers' lives and the convergence loop: given the version an app should run, start,
// drain and terminate containers so that it does, under the rollout's strategy.
import { type Ctx, emit, nextId, note, saveVersion } from './context.ts';
import { answerQueued, dispatchAll } from './inputs.ts';
import { requeueFrom } from './retries.ts';
import { templateOf } from './spec-hash.ts';
import type { Container, FunctionSpec, Version } from './types.ts';
import { type AppState, desiredVersion, versionOf } from './world.ts';

/** The function spec a container was started from. */
export function functionOf(app: AppState, c: Container): FunctionSpec | null {
  return versionOf(app, c.version)?.spec.functions.find((f) => f.name === c.function) ?? null;
}

export function templateFor(version: Version, fn: FunctionSpec): string {
  return templateOf(fn, version.specHash, version.templateEpoch);
}

function startContainer(ctx: Ctx, app: AppState, version: Version, fn: FunctionSpec): Container {
  const container: Container = {
    id: nextId(ctx, `${app.record.name}-${fn.name}`),
    appId: app.record.id,
    function: fn.name,
    version: version.number,
    template: templateFor(version, fn),
    state: 'starting',
    accepting: true,
    concurrency: fn.concurrency,
    inFlight: 0,
    startedAt: ctx.at,
    readyAt: null,
    drainStartedAt: null,
  };
  app.containers.set(container.id, container);
  ctx.world.containerApp.set(container.id, app.record.id);
  emit(ctx, {
    type: 'start-container',
    container: { ...container },
    function: fn,
    env: version.spec.env,
    image: version.spec.image,
    secrets: version.spec.secrets,
  });
  return container;
}

/** Why a container's in-flight inputs were cut: R1 states it; `counted` when the container failed. */
export interface Cut {
  reason: string;
  counted: boolean;
}

/** A container the engine retires has nothing in flight, or its inputs are not its fault. */
const RETIRED: Cut = { reason: 'its container was retired', counted: false };

/**
 * Ends a container's part in the app. Its in-flight inputs are requeued or answered first (R1;
 * `counted` when it failed, so a crashing container cannot retry an input forever).
 */
export function terminate(
  ctx: Ctx,
  app: AppState,
  c: Container,
  final: 'exited' | 'failed',
  graceMs: number,
  cut: Cut,
): void {
  requeueFrom(ctx, app, [c.id], cut);
  c.state = final;
  c.accepting = false;
  app.containers.delete(c.id);
  ctx.world.containerApp.delete(c.id);
  emit(ctx, { type: 'terminate', containerId: c.id, graceMs });
}

/** S1: the container takes no new inputs and exits once those in flight have finished. */
export function beginDrain(ctx: Ctx, app: AppState, c: Container, why: string): void {
  c.state = 'draining';
  c.accepting = false;
  c.drainStartedAt = ctx.at;
  emit(ctx, { type: 'stop-inputs', containerId: c.id });
  note(ctx, app, 'info', 'container-draining', `${c.id} draining (${why})`, {
    container: c.id,
    version: c.version,
  });
  finishDrainIfIdle(ctx, app, c);
}

export function finishDrainIfIdle(ctx: Ctx, app: AppState, c: Container): void {
  if (c.state === 'draining' && c.inFlight === 0) {
    terminate(ctx, app, c, 'exited', ctx.world.options.terminateGraceMs, RETIRED);
    note(ctx, app, 'info', 'container-exited', `${c.id} drained and stopped`, {
      container: c.id,
      version: c.version,
    });
  }
}

function canStart(ctx: Ctx, app: AppState, template: string): boolean {
  const backoff = app.backoff.get(template);
  return !backoff || ctx.at >= backoff.until;
}

/** The fewest inputs in flight first, so a drain finishes soonest. */
function byLoad(a: Container, b: Container): number {
  return a.inFlight - b.inFlight;
}

/** Brings the app's containers one step closer to its desired version. */
export function reconcile(ctx: Ctx, app: AppState): void {
  if (app.record.status === 'stopped') {
    // T1: drain briefly, then terminate (the tick enforces the short stop drain).
    for (const c of [...app.containers.values()]) {
      if (c.state === 'starting') terminate(ctx, app, c, 'exited', 0, RETIRED);
      else if (c.accepting) beginDrain(ctx, app, c, 'app stopped');
    }
    return;
  }
  const desired = desiredVersion(app);
  if (!desired) {
    for (const c of [...app.containers.values()])
      terminate(ctx, app, c, 'exited', 0, { reason: 'the app has no version running', counted: false });
    answerQueued(ctx, app, 'no-version', 'the app has no version running');
    return;
  }
  const recreate = app.rollout?.strategy === 'recreate';
  const wanted = new Map(desired.spec.functions.map((fn) => [fn.name, fn]));

  // Inputs for a function the desired version no longer has cannot be served: say so.
  for (const [fn, queue] of app.queues) {
    if (!wanted.has(fn) && queue.length > 0)
      answerQueued(ctx, app, 'no-function', `v${desired.number} has no function ${fn}`, fn);
  }
  // Containers of functions the desired version no longer has are simply retired (not while paused).
  for (const c of [...app.containers.values()]) {
    if (wanted.has(c.function) || app.rollout?.paused) continue;
    if (recreate || c.state === 'starting')
      terminate(ctx, app, c, 'exited', ctx.world.options.terminateGraceMs, {
        reason: `function ${c.function} was removed`,
        counted: false,
      });
    else if (c.accepting) beginDrain(ctx, app, c, `function ${c.function} removed`);
  }

  for (const fn of desired.spec.functions) {
    const template = templateFor(desired, fn);
    const fresh: Container[] = [];
    const old: Container[] = [];
    for (const c of app.containers.values()) {
      if (c.function !== fn.name) continue;
      if (c.template === template && c.state !== 'draining') {
        // B1: a container already running the target's exact template now serves the new version.
        if (c.version !== desired.number) c.version = desired.number;
        fresh.push(c);
      } else if (c.template !== template) {
        old.push(c);
      }
    }
    const target = fn.containers;

    if (recreate) {
      // S2: every old container goes at once; its in-flight inputs return to the queue's front.
      requeueFrom(
        ctx,
        app,
        old.map((c) => c.id),
        { reason: `its container was replaced by v${desired.number}'s recreate`, counted: false },
      );
      for (const c of old) terminate(ctx, app, c, 'exited', ctx.world.options.terminateGraceMs, RETIRED);
      old.length = 0;
    } else {
      // Old containers that are not ready yet carry no capacity: retire them at once.
      for (const c of old.filter((o) => o.state === 'starting')) {
        terminate(ctx, app, c, 'exited', 0, RETIRED);
      }
    }

    // More fresh containers than the target (kept by a rollback): retire the extras.
    fresh.sort((a, b) => (a.state === 'starting' ? 0 : 1) - (b.state === 'starting' ? 0 : 1) || byLoad(a, b));
    while (fresh.length > target) {
      const extra = fresh.shift()!;
      if (extra.state === 'starting') terminate(ctx, app, extra, 'exited', 0, RETIRED);
      else beginDrain(ctx, app, extra, 'above target');
    }

    // P1: a paused rollout starts no container beyond those it had and drains no old one.
    const paused = app.rollout?.paused;
    if (paused) {
      const held = Math.min(target, paused[fn.name] ?? 0);
      while (fresh.length < held && canStart(ctx, app, fn.name))
        fresh.push(startContainer(ctx, app, desired, fn));
      continue;
    }
    const oldReady = old.filter((c) => c.state === 'ready' && c.accepting).sort(byLoad);
    // H1: a new container replaces an old one only once it has stayed ready for min_ready.
    const freshReady = fresh.filter((c) => settled(ctx, c, fn)).length;
    while (fresh.length < target && fresh.length + oldReady.length < target + fn.maxSurge) {
      if (!canStart(ctx, app, template)) break;
      fresh.push(startContainer(ctx, app, desired, fn));
    }
    // S1: each old container drains only while ready capacity stays at or above the target.
    while (oldReady.length > 0 && freshReady + oldReady.length - 1 >= target) {
      beginDrain(ctx, app, oldReady.shift()!, `v${desired.number} ready`);
    }
    // A drained old container frees surge room: start the next fresh one now.
    while (fresh.length < target && fresh.length + oldReady.length < target + fn.maxSurge) {
      if (!canStart(ctx, app, template)) break;
      fresh.push(startContainer(ctx, app, desired, fn));
    }
  }

  if (app.rollout && rolloutComplete(ctx, app, desired)) completeRollout(ctx, app);
  dispatchAll(ctx, app);
}

/** H1: ready, and for at least min_ready (crashes inside the window count toward a crash loop). */
function settled(ctx: Ctx, c: Container, fn: FunctionSpec): boolean {
  return c.state === 'ready' && c.readyAt !== null && ctx.at - c.readyAt >= fn.minReadyMs;
}

/** Every function has its target of settled desired-template containers and nothing else runs. */
function rolloutComplete(ctx: Ctx, app: AppState, desired: Version): boolean {
  const specs = new Map(desired.spec.functions.map((fn) => [fn.name, fn]));
  const ready = new Map<string, number>();
  for (const c of app.containers.values()) {
    const fn = specs.get(c.function);
    if (!fn || templateFor(desired, fn) !== c.template || !settled(ctx, c, fn)) return false;
    ready.set(c.function, (ready.get(c.function) ?? 0) + 1);
  }
  return desired.spec.functions.every((fn) => ready.get(fn.name) === fn.containers);
}

function completeRollout(ctx: Ctx, app: AppState): void {
  const rollout = app.rollout!;
  const version = app.versions[rollout.to - 1]!;
  const previous = versionOf(app, app.current);
  if (previous && previous.number !== version.number) {
    previous.outcome = 'superseded';
    saveVersion(ctx, app, previous);
  }
  version.outcome = 'active';
  version.activatedAt ??= ctx.wall;
  saveVersion(ctx, app, version);
  app.current = version.number;
  app.rollout = null;
  app.failure = null;
  const seconds = ((ctx.at - rollout.startedAt) / 1000).toFixed(1);
  note(ctx, app, 'info', 'rollout-done', `v${version.number} active (${rollout.strategy}, ${seconds}s)`, {
    version: version.number,
  });
}
