// A seeded model of the platform around the real `step`: containers with cold starts, crashes
// and bad versions, slow and failing builds, bursty load, and operators issuing any command at
// any moment (twice at once, too), and the daemon itself crashing and restarting from its
// records, adopting the containers still running (A1). After every step the invariants are
// checked; a violation stops the run with its seed, step and trace, and the same seed replays it.
// This file is the loop and the daemon; the operators are in operator.ts, the platform in platform.ts.
import type { Effect } from '../engine/effects.ts';
import type { EngineEvent } from '../engine/events.ts';
import { restoreWorld } from '../engine/restore.ts';
import { specHash } from '../engine/spec-hash.ts';
import { step } from '../engine/step.ts';
import { createWorld, desiredVersion, type World } from '../engine/world.ts';
import { describeEvent } from './describe-event.ts';
import { type Behaviour, EffectChecks } from './effect-checks.ts';
import { EventQueue } from './event-queue.ts';
import { checkFinal, checkPaused, checkStep, InvariantTracker } from './invariants.ts';
import { type Action, APP, type SimLoop, type Unstamped } from './loop.ts';
import { Operator } from './operator.ts';
import { SimPlatform } from './platform.ts';
import { SimRecords } from './records.ts';
import { Rng } from './rng.ts';
import type { Violation } from './violation.ts';

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

const TICK_MS = 250;
const ENGINE_OPTIONS = { stopDrainMs: 2_000, restartBackoffMs: 200, restartBackoffMaxMs: 5_000 };

/** The loop: the simulated clock, the real engine's steps, the daemon's records and its crashes. */
export class Simulation implements SimLoop {
  world: World;
  readonly tracker = new InvariantTracker();
  readonly rng: Rng;
  now = 0;
  private readonly records = new SimRecords();
  private readonly checks: EffectChecks;
  private readonly queue = new EventQueue<Action>();
  /** How each image's containers behave: the operator decides, the platform obeys. */
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly operator: Operator;
  private readonly platform: SimPlatform;
  private steps = 0;
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
    this.operator = new Operator(this, this.behaviours);
    this.platform = new SimPlatform(this, this.behaviours);
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
      inputs: this.platform.inputs,
      versions:
        this.world.apps.size === 0
          ? 0
          : [...this.world.apps.values()].reduce((n, a) => n + a.versions.length, 0),
      violation: violation ? { ...violation, seed: this.options.seed, step: this.steps } : null,
      trace: this.trace,
    };
  }

  schedule(at: number, action: Action): void {
    this.queue.push(at, action);
  }

  private perform(action: Action): Violation | null {
    switch (action.kind) {
      case 'engine':
        return this.send(action.event);
      case 'operator':
        if (this.quiet) return null;
        this.schedule(this.now + this.rng.int(2_000, 15_000), { kind: 'operator' });
        return this.operator.operate();
      case 'arrivals':
        if (this.quiet) return null;
        return this.platform.arrive();
      case 'fault':
        if (this.quiet) return null;
        this.schedule(this.now + this.rng.int(3_000, 20_000), { kind: 'fault' });
        return this.platform.fault();
      case 'finish':
        return this.platform.finish(action);
      case 'crash':
        if (this.quiet) return null;
        if (this.rng.chance(0.5)) this.schedule(this.now + this.rng.int(5_000, 40_000), { kind: 'crash' });
        return this.crash();
      case 'resume':
        return this.operator.resume();
    }
  }

  /** One real engine step, then its effects carried out and every invariant checked. */
  send(event: Unstamped): Violation | null {
    const full = { ...event, at: this.now } as EngineEvent;
    const before = this.tracker.beforeStep(this.world, APP);
    const context = this.stepContext(full);
    if (full.type === 'container-ready') {
      const c = this.platform.container(full.containerId);
      if (c) c.ready = true;
    }
    if (full.type === 'input-cancelled') this.tracker.inputs.cancelled(full.inputId);
    // A container that crashes after it was ready took capacity with it: a fault, as for S1.
    if (
      full.type === 'container-exited' &&
      this.platform.container(full.containerId)?.alive &&
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
      const violation = this.checks.effect(this.world, effect) ?? this.platform.apply(effect);
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
      const c = this.platform.container(id);
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
      const c = this.platform.container(id);
      if (c) c.alive = false; // not adopted: the new daemon kills it
      this.checks.exited(id);
    }
    this.steps++;
    this.log(`${this.now} daemon crashed and restarted: ${taken.size} containers adopted`);
    const tick = { type: 'tick', at: this.now } as EngineEvent;
    const context = { noop: false, queuedBefore: [], wasDeployed: false };
    return this.carryOut(tick, restored.effects, this.tracker.beforeStep(this.world, APP), context);
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
