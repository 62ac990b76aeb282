// A seeded model of the platform around the real `step`: containers with cold starts, crashes
// and bad versions, slow and failing builds, bursty load, and operators issuing any command at
// any moment (twice at once, too), and the daemon itself crashing and restarting from its
// records, adopting the containers still running (A1). After every step the invariants are
// checked; a violation stops the run with its seed, step and trace, and the same seed replays it.
import type { Effect } from '../engine/effects.ts';
import type { EngineEvent } from '../engine/events.ts';
import { restoreWorld } from '../engine/restore.ts';
import { specHash } from '../engine/spec-hash.ts';
import { step } from '../engine/step.ts';
import type { FunctionSpec, Spec, Strategy } from '../engine/types.ts';
import { createWorld, desiredVersion, type World } from '../engine/world.ts';
import { describeEvent } from './describe-event.ts';
import { type Behaviour, checkSimultaneousRollbacks, EffectChecks } from './effect-checks.ts';
import { EventQueue } from './event-queue.ts';
import { checkFinal, checkPaused, checkStep, InvariantTracker, type Violation } from './invariants.ts';
import { SimRecords } from './records.ts';
import { Rng } from './rng.ts';

/** An engine event before the simulated clock stamps it. */
type Unstamped = EngineEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

interface SimContainer {
  id: string;
  alive: boolean;
  /** Its readiness was reported (what a restarted daemon's probe would find). */
  ready: boolean;
  concurrency: number;
  behaviour: Behaviour;
}

/** What the simulated world does next. */
type Action =
  | { kind: 'engine'; event: Unstamped }
  | { kind: 'operator' }
  | { kind: 'arrivals' }
  | { kind: 'fault' }
  | { kind: 'crash' }
  /** P1: the operator who paused a rollout resumes it (also in the quiet period, so it ends). */
  | { kind: 'resume' }
  | {
      kind: 'finish';
      inputId: string;
      containerId: string;
      attempt: number;
      ok: boolean;
      /** A failed attempt that was refused before anything reached the app (R1). */
      unsent: boolean;
    };

export interface SimOptions {
  seed: number;
  /** Simulated time with load, commands and faults, then a quiet period to converge. */
  activeMs?: number;
  quietMs?: number;
  /** Keeps every step's line in the trace (for replaying one seed). */
  verbose?: boolean;
  /** Lets a test break the engine on purpose to prove the checks catch it. */
  tamper?: (effects: Effect[]) => Effect[];
  /** Lets a test misreport what happened to the engine (the checks still see the truth). */
  tamperEvent?: (event: EngineEvent) => EngineEvent;
  /** The engine's step (a test may plant a bug in it). */
  step?: typeof step;
  /** How a crashed daemon is restored (a test may plant a bug in it). */
  restore?: typeof restoreWorld;
}

export interface SimResult {
  seed: number;
  steps: number;
  inputs: number;
  versions: number;
  violation: Violation | null;
  trace: string[];
}

const APP = 'shop';
const TICK_MS = 250;
const ENGINE_OPTIONS = { stopDrainMs: 2_000, restartBackoffMs: 200, restartBackoffMaxMs: 5_000 };

export class Simulation {
  world: World;
  readonly tracker = new InvariantTracker();
  private readonly records = new SimRecords();
  private readonly checks: EffectChecks;
  private readonly rng: Rng;
  private readonly queue = new EventQueue<Action>();
  private readonly containers = new Map<string, SimContainer>();
  private readonly behaviours = new Map<string, Behaviour>();
  private now = 0;
  private steps = 0;
  private inputCount = 0;
  private requestCount = 0;
  private images = 0;
  private quiet = false;
  private readonly trace: string[] = [];
  private readonly activeMs: number;
  private readonly quietMs: number;

  constructor(private readonly options: SimOptions) {
    this.rng = new Rng(options.seed);
    this.activeMs = options.activeMs ?? 120_000;
    this.quietMs = options.quietMs ?? 240_000;
    this.world = createWorld(ENGINE_OPTIONS);
    this.checks = new EffectChecks((image) => this.behaviours.get(image) ?? 'good');
  }

  run(): SimResult {
    this.schedule(0, { kind: 'operator' });
    this.schedule(0, { kind: 'arrivals' });
    this.schedule(this.rng.int(1_000, 10_000), { kind: 'fault' });
    // The daemon dies (kill -9) a few times in some runs, at any moment.
    if (this.rng.chance(0.5)) this.schedule(this.rng.int(5_000, this.activeMs), { kind: 'crash' });
    for (let t = 0; t <= this.activeMs + this.quietMs; t += TICK_MS) {
      this.schedule(t, { kind: 'engine', event: { type: 'tick' } });
    }
    let violation: Violation | null = null;
    for (let next = this.queue.pop(); next && !violation; next = this.queue.pop()) {
      this.now = next.at;
      if (!this.quiet && this.now > this.activeMs) this.quiet = true;
      violation = this.perform(next.item);
    }
    violation ??= checkFinal(this.world, this.tracker, APP);
    return {
      seed: this.options.seed,
      steps: this.steps,
      inputs: this.inputCount,
      versions:
        this.world.apps.size === 0
          ? 0
          : [...this.world.apps.values()].reduce((n, a) => n + a.versions.length, 0),
      violation: violation ? { ...violation, seed: this.options.seed, step: this.steps } : null,
      trace: this.trace,
    };
  }

  private schedule(at: number, action: Action): void {
    this.queue.push(at, action);
  }

  private perform(action: Action): Violation | null {
    switch (action.kind) {
      case 'engine':
        return this.send(action.event);
      case 'operator':
        if (this.quiet) return null;
        this.schedule(this.now + this.rng.int(2_000, 15_000), { kind: 'operator' });
        return this.operate();
      case 'arrivals':
        if (this.quiet) return null;
        return this.arrive();
      case 'fault':
        if (this.quiet) return null;
        this.schedule(this.now + this.rng.int(3_000, 20_000), { kind: 'fault' });
        return this.fault();
      case 'finish':
        return this.finish(action);
      case 'crash':
        if (this.quiet) return null;
        if (this.rng.chance(0.5)) this.schedule(this.now + this.rng.int(5_000, 40_000), { kind: 'crash' });
        return this.crash();
      case 'resume':
        return this.send({ type: 'resume', app: APP, requestId: `r${++this.requestCount}`, user: 'alice' });
    }
  }

  /** One real engine step, then its effects carried out and every invariant checked. */
  private send(event: Unstamped): Violation | null {
    const full = { ...event, at: this.now } as EngineEvent;
    const before = this.tracker.beforeStep(this.world, APP);
    const context = this.stepContext(full);
    if (full.type === 'container-ready') {
      const c = this.containers.get(full.containerId);
      if (c) c.ready = true;
    }
    if (full.type === 'input-cancelled') this.tracker.cancelled(full.inputId);
    // A container that crashes after it was ready took capacity with it: a fault, as for S1.
    if (
      full.type === 'container-exited' &&
      this.containers.get(full.containerId)?.alive &&
      this.wasReady(full.containerId)
    )
      this.tracker.faultInjected(this.world, APP);
    const told = this.options.tamperEvent ? this.options.tamperEvent(full) : full;
    const result = (this.options.step ?? step)(this.world, told);
    const effects = this.options.tamper ? this.options.tamper(result.effects) : result.effects;
    this.steps++;
    this.log(`${this.now} ${describeEvent(full)} → ${effects.map((e) => e.type).join(',') || '-'}`);
    return this.carryOut(full, effects, before, context);
  }

  /** What the step-wide checks need to know from before the step (engine-independent). */
  private stepContext(event: EngineEvent): { noop: boolean; queuedBefore: string[]; wasDeployed: boolean } {
    const appId = this.world.latestByName.get(APP);
    const app = appId === undefined ? undefined : this.world.apps.get(appId);
    const deployed = app?.record.status === 'deployed';
    const desired = app && deployed ? desiredVersion(app) : null;
    const queuedBefore =
      event.type === 'stop' && app
        ? [...this.world.inputs.values()]
            .filter((i) => i.appId === app.record.id && i.state === 'queued')
            .map((i) => i.id)
        : [];
    return {
      noop: event.type === 'deploy' && desired !== null && desired.specHash === specHash(event.spec),
      queuedBefore,
      wasDeployed: deployed,
    };
  }

  private carryOut(
    event: EngineEvent,
    effects: Effect[],
    before: ReturnType<InvariantTracker['beforeStep']>,
    context: ReturnType<Simulation['stepContext']>,
  ): Violation | null {
    // The daemon raises its id counter and writes the records before it acts (write-ahead).
    this.records.sequence = Math.max(this.records.sequence, this.world.sequence);
    for (const effect of effects) this.records.apply(effect);
    for (const effect of effects) {
      const violation = this.checks.effect(this.world, effect) ?? this.apply(effect);
      if (violation) return violation;
    }
    const appId = this.world.latestByName.get(APP);
    const app = appId === undefined ? undefined : this.world.apps.get(appId);
    return (
      this.checks.step(this.world, app, event, effects, context) ??
      checkPaused(this.world, APP, before, effects) ??
      checkStep(this.world, this.tracker, APP, event, before)
    );
  }

  /**
   * A1: the daemon dies. What was in flight inside it is lost; a new one restores every app from
   * the records and adopts the containers still running, as the real daemon does.
   */
  private crash(): Violation | null {
    this.tracker.crashed();
    this.tracker.faultInjected(this.world, APP);
    const adopted = [];
    for (const [id, started] of this.checks.running) {
      const c = this.containers.get(id);
      if (c?.alive)
        adopted.push({
          id,
          appId: started.appId,
          function: started.function,
          version: started.version,
          ready: c.ready,
        });
      else this.checks.exited(id); // it died too: the new daemon finds no such process
    }
    const restore = this.options.restore ?? restoreWorld;
    const restored = restore(this.records.list(), this.now, this.records.sequence, ENGINE_OPTIONS, adopted);
    this.world = restored.world;
    const taken = new Set(restored.adopted);
    for (const { id } of adopted) {
      if (taken.has(id)) continue;
      const c = this.containers.get(id);
      if (c) c.alive = false; // not adopted: the new daemon kills it
      this.checks.exited(id);
    }
    this.steps++;
    this.log(`${this.now} daemon crashed and restarted: ${taken.size} containers adopted`);
    const tick = { type: 'tick', at: this.now } as EngineEvent;
    const context = { noop: false, queuedBefore: [], wasDeployed: false };
    return this.carryOut(tick, restored.effects, this.tracker.beforeStep(this.world, APP), context);
  }

  private apply(effect: Effect): Violation | null {
    const tracker = this.tracker;
    switch (effect.type) {
      case 'record-version':
        return tracker.versionRecorded(effect.appId, effect.version.number);
      case 'build-image': {
        const fails = this.rng.chance(0.1);
        const event = fails
          ? { type: 'build-failed' as const, buildId: effect.buildId, output: 'simulated build failure' }
          : { type: 'build-finished' as const, buildId: effect.buildId };
        this.schedule(this.now + this.rng.int(100, 8_000), { kind: 'engine', event });
        return null;
      }
      case 'start-container': {
        const behaviour = this.behaviours.get(effect.image) ?? 'good';
        const c: SimContainer = {
          id: effect.container.id,
          alive: true,
          ready: false,
          concurrency: effect.container.concurrency,
          behaviour,
        };
        this.containers.set(c.id, c);
        if (behaviour === 'good') {
          this.schedule(this.now + this.rng.int(200, 3_000), {
            kind: 'engine',
            event: { type: 'container-ready', containerId: c.id },
          });
        } else if (behaviour === 'crash-loop') {
          this.schedule(this.now + this.rng.int(100, 1_500), {
            kind: 'engine',
            event: { type: 'container-exited', containerId: c.id, code: 1, signal: null },
          });
        } else if (behaviour === 'crash-after-ready') {
          // Ready, then gone a moment later: H1's settle window (min_ready) must catch it.
          const readyAt = this.now + this.rng.int(200, 2_000);
          this.schedule(readyAt, { kind: 'engine', event: { type: 'container-ready', containerId: c.id } });
          this.schedule(readyAt + this.rng.int(100, 900), {
            kind: 'engine',
            event: { type: 'container-exited', containerId: c.id, code: 1, signal: null },
          });
        }
        return null;
      }
      case 'terminate': {
        const c = this.containers.get(effect.containerId);
        if (c) c.alive = false;
        tracker.containerTerminated(effect.containerId);
        // The process's exit is reported afterwards too; the engine must ignore it.
        this.schedule(this.now + this.rng.int(0, 500), {
          kind: 'engine',
          event: { type: 'container-exited', containerId: effect.containerId, code: 0, signal: 'SIGTERM' },
        });
        return null;
      }
      case 'route': {
        const violation = tracker.routed(this.world, effect.inputId, effect.containerId, effect.attempt);
        if (violation) return violation;
        const slow = this.rng.chance(0.02);
        const ok = !this.rng.chance(0.01);
        this.schedule(this.now + (slow ? this.rng.int(2_000, 40_000) : this.rng.int(5, 300)), {
          kind: 'finish',
          inputId: effect.inputId,
          containerId: effect.containerId,
          attempt: effect.attempt,
          ok,
          unsent: !ok && this.rng.chance(0.5),
        });
        return null;
      }
      case 'answer-error':
        return tracker.answered(effect.inputId, effect.error);
      default:
        return null;
    }
  }

  /** A container's answer arrives: reported even when stale, which the engine must ignore. */
  private finish(action: Extract<Action, { kind: 'finish' }>): Violation | null {
    if (this.tracker.isLost(action.inputId)) return null;
    const c = this.containers.get(action.containerId);
    const current = this.tracker.isCurrentAttempt(action.inputId, action.containerId, action.attempt);
    if (current && c?.alive) {
      const violation = this.tracker.completed(action.inputId, action.ok, action.unsent);
      if (violation) return violation;
    } else if (!this.rng.chance(0.3)) {
      return null; // the proxy aborted it; usually nothing is reported
    }
    const event = action.ok
      ? { type: 'input-finished' as const, inputId: action.inputId, containerId: action.containerId }
      : {
          type: 'input-failed' as const,
          inputId: action.inputId,
          containerId: action.containerId,
          reason: action.unsent ? 'ECONNREFUSED' : 'ECONNRESET',
          unsent: action.unsent,
          final: false,
        };
    return this.send(event);
  }

  private arrive(): Violation | null {
    // Bursts: now and then ten times the base rate for a couple of seconds.
    const burst = Math.floor(this.now / 2_000) % 17 === 3;
    const gap = burst ? this.rng.int(1, 8) : this.rng.int(10, 120);
    this.schedule(this.now + gap, { kind: 'arrivals' });
    const appId = this.world.latestByName.get(APP);
    if (appId === undefined) return null;
    const app = this.world.apps.get(appId)!;
    const fns = app.versions.at(-1)?.spec.functions.map((f) => f.name) ?? ['web'];
    const inputId = `in-${++this.inputCount}`;
    const roll = this.rng.next();
    const method = roll < 0.6 ? 'GET' : roll < 0.85 ? 'POST' : roll < 0.95 ? 'PUT' : 'PATCH';
    this.tracker.arrived(inputId, method);
    // Q1: now and then a client gives up while its input may still be queued.
    if (this.rng.chance(0.03)) {
      this.schedule(this.now + this.rng.int(1, 5_000), {
        kind: 'engine',
        event: { type: 'input-cancelled', inputId },
      });
    }
    return this.send({ type: 'input-arrived', inputId, appId, function: this.rng.pick(fns), method });
  }

  private fault(): Violation | null {
    const alive = [...this.containers.values()].filter((c) => c.alive && c.behaviour === 'good');
    if (alive.length === 0) return null;
    const victim = this.rng.pick(alive);
    this.tracker.faultInjected(this.world, APP);
    if (this.rng.chance(0.5)) {
      victim.alive = false;
      return this.send({ type: 'container-exited', containerId: victim.id, code: 137, signal: 'SIGKILL' });
    }
    return this.send({
      type: 'container-unready',
      containerId: victim.id,
      reason: 'simulated readiness failure',
    });
  }

  private newSpec(base: Spec | null): Spec {
    const image = `sha256:${String(++this.images).padStart(64, '0')}`;
    const roll = this.rng.next();
    this.behaviours.set(
      image,
      roll < 0.1 ? 'crash-loop' : roll < 0.17 ? 'never-ready' : roll < 0.24 ? 'crash-after-ready' : 'good',
    );
    const fn = (name: string): FunctionSpec => ({
      name,
      command: `node ${name}.js`,
      port: 0,
      containers: this.rng.int(1, 4),
      concurrency: this.rng.int(1, 6),
      ready: '/healthz',
      drainTimeoutMs: this.rng.int(1_000, 10_000),
      startTimeoutMs: 8_000,
      maxSurge: this.rng.int(1, 2),
      retry: this.rng.pick(['idempotent', 'idempotent', 'unsent', 'never'] as const),
      maxQueue: this.rng.pick([3, 50, 1000]),
      queueTimeoutMs: this.rng.int(2_000, 30_000),
      maxBodyBytes: 10 * 1024 * 1024,
      requestTimeoutMs: 60_000,
      probePeriodMs: 10_000,
      probeTimeoutMs: 1_000,
      probeFailures: 3,
      // Long enough that a crash-after-ready version always crashes inside it.
      minReadyMs: this.rng.int(1_000, 3_000),
    });
    const functions = this.rng.chance(0.3) ? [fn('web'), fn('worker')] : [fn('web')];
    return {
      functions,
      env: { RELEASE: String(this.images) },
      image,
      build: null,
      secrets: [],
      strategy: this.rng.chance(0.3) ? 'recreate' : 'rolling',
      autoRollback: base ? this.rng.chance(0.5) : false,
    };
  }

  /** An operator does something: mostly deploys and rollbacks, sometimes twice at once. */
  private operate(): Violation | null {
    const appId = this.world.latestByName.get(APP);
    const app = appId === undefined ? null : this.world.apps.get(appId)!;
    const latest = app?.versions.at(-1)?.spec ?? null;
    const strategy: Strategy | undefined = this.rng.chance(0.5)
      ? undefined
      : this.rng.pick(['rolling', 'recreate']);
    const user = this.rng.pick(['alice', 'bob', 'carol']);
    const request = () => `r${++this.requestCount}`;
    const roll = this.rng.next();
    let events: Array<Unstamped>;
    if (!app || app.record.status === 'stopped' || roll < 0.35) {
      events = [
        {
          type: 'deploy',
          app: APP,
          requestId: request(),
          user,
          spec: this.newSpec(latest),
          strategy,
          secretFingerprints: {},
        },
      ];
    } else if (roll < 0.42 && latest) {
      const desired = app.versions[(app.rollout?.to ?? app.current ?? app.versions.length) - 1]!.spec;
      this.tracker.expectNoop(specHash(desired));
      events = [
        { type: 'deploy', app: APP, requestId: request(), user, spec: desired, secretFingerprints: {} },
      ];
    } else if (roll < 0.55) {
      events = [{ type: 'rollover', app: APP, requestId: request(), user, strategy, secretFingerprints: {} }];
    } else if (roll < 0.8) {
      const to = this.rng.chance(0.5) ? undefined : this.rng.int(1, app.versions.length + 1);
      const rollback = { type: 'rollback' as const, app: APP, user, strategy, to, secretFingerprints: {} };
      // Two operators pressing rollback at the same moment: one version at most (C1).
      if (this.rng.chance(0.3)) {
        const versionsBefore = app.versions.length;
        for (const who of [user, 'dave']) {
          const violation = this.send({ ...rollback, requestId: request(), user: who });
          if (violation) return violation;
        }
        return checkSimultaneousRollbacks(
          versionsBefore,
          this.world.apps.get(app.record.id)!.versions.length,
        );
      }
      events = [{ ...rollback, requestId: request() }];
    } else if (roll < 0.86) {
      events = [{ type: 'stop', app: APP, requestId: request(), user }];
    } else if (roll < 0.94 && app.rollout) {
      // P1: pause the rollout in progress; the same operator resumes it a little later.
      events = [{ type: 'pause', app: APP, requestId: request(), user }];
      this.schedule(this.now + this.rng.int(1_000, 20_000), { kind: 'resume' });
    } else {
      events = [
        {
          type: 'deploy',
          app: APP,
          requestId: request(),
          user,
          spec: this.newSpec(latest),
          strategy,
          secretFingerprints: {},
        },
      ];
    }
    for (const event of events) {
      const violation = this.send(event);
      if (violation) return violation;
    }
    return null;
  }

  private wasReady(containerId: string): boolean {
    const appId = this.world.containerApp.get(containerId);
    const state =
      appId === undefined ? undefined : this.world.apps.get(appId)?.containers.get(containerId)?.state;
    return state === 'ready' || state === 'draining';
  }

  private log(line: string): void {
    this.trace.push(line);
    if (!this.options.verbose && this.trace.length > 80) this.trace.shift();
  }
}

export function simulate(options: SimOptions): SimResult {
  return new Simulation(options).run();
}
