// A scripted driver for the engine: builds specs, sends events on a simulated clock and keeps
// every effect, so tests read like the rule they check.
import type { CommandReply, Effect } from '../../src/engine/effects.ts';
import type { CommandEvent, EngineEvent } from '../../src/engine/events.ts';
import { FUNCTION_DEFAULTS } from '../../src/engine/function-defaults.ts';
import type { EngineOptions } from '../../src/engine/options.ts';
import { step } from '../../src/engine/step.ts';
import type { Container, FunctionSpec, Spec } from '../../src/engine/types.ts';
import { type AppState, createWorld, type World } from '../../src/engine/world.ts';

export function fnSpec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: 'web',
    command: 'node server.js',
    port: 0,
    containers: 3,
    concurrency: 2,
    ready: '/healthz',
    drainTimeoutMs: 30_000,
    startTimeoutMs: 60_000,
    maxSurge: 1,
    ...FUNCTION_DEFAULTS,
    // Rollouts in these scripts complete as soon as containers are ready, unless a test says so.
    minReadyMs: 0,
    ...overrides,
  } as FunctionSpec;
}

export function spec(overrides: Partial<Spec> = {}): Spec {
  return {
    functions: [fnSpec()],
    env: {},
    image: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    build: null,
    secrets: [],
    strategy: 'rolling',
    autoRollback: false,
    ...overrides,
  };
}

type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export class Driver {
  world: World;
  now = 1_000_000;
  effects: Effect[] = [];
  private requests = 0;

  constructor(options: Partial<EngineOptions> = {}) {
    this.world = createWorld(options);
  }

  send(event: Without<EngineEvent, 'at'>, advanceMs = 0): Effect[] {
    this.now += advanceMs;
    const { effects } = step(this.world, { ...event, at: this.now } as EngineEvent);
    this.effects.push(...effects);
    return effects;
  }

  command(event: Without<CommandEvent, 'at' | 'requestId'>): {
    effects: Effect[];
    reply: CommandReply | null;
  } {
    const requestId = `req-${++this.requests}`;
    const effects = this.send({ ...event, requestId } as Without<EngineEvent, 'at'>);
    const reply = effects.find((e) => e.type === 'reply' && e.requestId === requestId);
    return { effects, reply: reply?.type === 'reply' ? reply.reply : null };
  }

  /** Deploys and finishes the build; returns the reply. */
  deploy(s: Spec, user = 'alice', strategy?: Spec['strategy']): CommandReply | null {
    const { effects, reply } = this.command({
      type: 'deploy',
      app: 'shop',
      user,
      spec: s,
      strategy,
      secretFingerprints: {},
    });
    if (reply) return reply;
    const build = effects.find((e) => e.type === 'build-image');
    if (build?.type !== 'build-image') throw new Error('no build started');
    const done = this.send({ type: 'build-finished', buildId: build.buildId });
    const r = done.find((e) => e.type === 'reply');
    return r?.type === 'reply' ? r.reply : null;
  }

  app(name = 'shop'): AppState {
    const id = this.world.latestByName.get(name);
    const app = id === undefined ? undefined : this.world.apps.get(id);
    if (!app) throw new Error(`no app ${name}`);
    return app;
  }

  containers(filter: Partial<Pick<Container, 'version' | 'state' | 'function'>> = {}): Container[] {
    return [...this.app().containers.values()].filter(
      (c) =>
        (filter.version === undefined || c.version === filter.version) &&
        (filter.state === undefined || c.state === filter.state) &&
        (filter.function === undefined || c.function === filter.function),
    );
  }

  /** Reports every starting container as ready, one event each. */
  readyAll(): void {
    let starting = this.containers({ state: 'starting' });
    while (starting.length > 0) {
      for (const c of starting) this.send({ type: 'container-ready', containerId: c.id }, 10);
      starting = this.containers({ state: 'starting' });
    }
  }

  /** Ready capacity: ready containers still taking inputs. */
  readyCapacity(fn = 'web'): number {
    return this.containers({ state: 'ready', function: fn }).filter((c) => c.accepting).length;
  }

  of<T extends Effect['type']>(type: T, effects: Effect[] = this.effects): Extract<Effect, { type: T }>[] {
    return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }
}
