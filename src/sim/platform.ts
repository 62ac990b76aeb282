// The simulated platform around the engine: what becomes of the effects it asks for (builds that
// are slow or fail, containers that start, turn ready, crash or never get ready as their image
// dictates, answers that come late, fail or are stale), clients sending bursty load, and faults
// injected into healthy containers. Each outcome goes back to the engine as an event.
import type { Effect } from '../engine/effects.ts';
import type { Behaviour } from './effect-checks.ts';
import { type Action, APP, type SimLoop } from './loop.ts';
import type { Violation } from './violation.ts';

/** A container as the platform knows it (the truth the engine only hears about). */
export interface SimContainer {
  id: string;
  alive: boolean;
  /** Its readiness was reported (what a restarted daemon's probe would find). */
  ready: boolean;
  concurrency: number;
  behaviour: Behaviour;
}

export class SimPlatform {
  private readonly containers = new Map<string, SimContainer>();
  private inputCount = 0;

  constructor(
    private readonly loop: SimLoop,
    /** How each image's containers behave. */
    private readonly behaviours: ReadonlyMap<string, Behaviour>,
  ) {}

  /** How many inputs the clients have sent. */
  get inputs(): number {
    return this.inputCount;
  }

  container(id: string): SimContainer | undefined {
    return this.containers.get(id);
  }

  /** An effect carried out: what the platform will report back, scheduled. */
  apply(effect: Effect): Violation | null {
    const { rng, tracker, now } = this.loop;
    switch (effect.type) {
      case 'record-version':
        return tracker.versionRecorded(effect.appId, effect.version.number);
      case 'build-image': {
        const fails = rng.chance(0.1);
        const event = fails
          ? { type: 'build-failed' as const, buildId: effect.buildId, output: 'simulated build failure' }
          : { type: 'build-finished' as const, buildId: effect.buildId };
        this.loop.schedule(now + rng.int(100, 8_000), { kind: 'engine', event });
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
          this.loop.schedule(now + rng.int(200, 3_000), {
            kind: 'engine',
            event: { type: 'container-ready', containerId: c.id },
          });
        } else if (behaviour === 'crash-loop') {
          this.loop.schedule(now + rng.int(100, 1_500), {
            kind: 'engine',
            event: { type: 'container-exited', containerId: c.id, code: 1, signal: null },
          });
        } else if (behaviour === 'crash-after-ready') {
          // Ready, then gone a moment later: H1's settle window (min_ready) must catch it.
          const readyAt = now + rng.int(200, 2_000);
          this.loop.schedule(readyAt, {
            kind: 'engine',
            event: { type: 'container-ready', containerId: c.id },
          });
          this.loop.schedule(readyAt + rng.int(100, 900), {
            kind: 'engine',
            event: { type: 'container-exited', containerId: c.id, code: 1, signal: null },
          });
        }
        return null;
      }
      case 'terminate': {
        const c = this.containers.get(effect.containerId);
        if (c) c.alive = false;
        tracker.inputs.containerTerminated(effect.containerId);
        // The process's exit is reported afterwards too; the engine must ignore it.
        this.loop.schedule(now + rng.int(0, 500), {
          kind: 'engine',
          event: { type: 'container-exited', containerId: effect.containerId, code: 0, signal: 'SIGTERM' },
        });
        return null;
      }
      case 'route': {
        const violation = tracker.inputs.routed(
          this.loop.world,
          effect.inputId,
          effect.containerId,
          effect.attempt,
        );
        if (violation) return violation;
        const slow = rng.chance(0.02);
        const ok = !rng.chance(0.01);
        this.loop.schedule(now + (slow ? rng.int(2_000, 40_000) : rng.int(5, 300)), {
          kind: 'finish',
          inputId: effect.inputId,
          containerId: effect.containerId,
          attempt: effect.attempt,
          ok,
          unsent: !ok && rng.chance(0.5),
        });
        return null;
      }
      case 'answer-error':
        return tracker.inputs.answered(effect.inputId, effect.error);
      default:
        return null;
    }
  }

  /** A container's answer arrives: reported even when stale, which the engine must ignore. */
  finish(action: Extract<Action, { kind: 'finish' }>): Violation | null {
    const fates = this.loop.tracker.inputs;
    if (fates.isLost(action.inputId)) return null;
    const c = this.containers.get(action.containerId);
    const current = fates.isCurrentAttempt(action.inputId, action.containerId, action.attempt);
    if (current && c?.alive) {
      const violation = fates.completed(action.inputId, action.ok, action.unsent);
      if (violation) return violation;
    } else if (!this.loop.rng.chance(0.3)) {
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
    return this.loop.send(event);
  }

  /** A client sends an input, and schedules the next one. */
  arrive(): Violation | null {
    const { rng, now, world } = this.loop;
    // Bursts: now and then ten times the base rate for a couple of seconds.
    const burst = Math.floor(now / 2_000) % 17 === 3;
    const gap = burst ? rng.int(1, 8) : rng.int(10, 120);
    this.loop.schedule(now + gap, { kind: 'arrivals' });
    const appId = world.latestByName.get(APP);
    if (appId === undefined) return null;
    const app = world.apps.get(appId)!;
    const fns = app.versions.at(-1)?.spec.functions.map((f) => f.name) ?? ['web'];
    const inputId = `in-${++this.inputCount}`;
    const roll = rng.next();
    const method = roll < 0.6 ? 'GET' : roll < 0.85 ? 'POST' : roll < 0.95 ? 'PUT' : 'PATCH';
    this.loop.tracker.inputs.arrived(inputId, method);
    // Q1: now and then a client gives up while its input may still be queued.
    if (rng.chance(0.03)) {
      this.loop.schedule(now + rng.int(1, 5_000), {
        kind: 'engine',
        event: { type: 'input-cancelled', inputId },
      });
    }
    return this.loop.send({ type: 'input-arrived', inputId, appId, function: rng.pick(fns), method });
  }

  /** A healthy container is killed or stops answering its probe. */
  fault(): Violation | null {
    const rng = this.loop.rng;
    const alive = [...this.containers.values()].filter((c) => c.alive && c.behaviour === 'good');
    if (alive.length === 0) return null;
    const victim = rng.pick(alive);
    this.loop.tracker.faultInjected(this.loop.world, APP);
    if (rng.chance(0.5)) {
      victim.alive = false;
      return this.loop.send({
        type: 'container-exited',
        containerId: victim.id,
        code: 137,
        signal: 'SIGKILL',
      });
    }
    return this.loop.send({
      type: 'container-unready',
      containerId: victim.id,
      reason: 'simulated readiness failure',
    });
  }
}
