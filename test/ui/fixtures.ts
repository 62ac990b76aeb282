// Plain-data snapshots for the watch screen's tests.
import type { Action, Capabilities } from '../../src/engine/provider.ts';
import type { ContainerSummary, InputSummary, Snapshot, VersionSummary } from '../../src/engine/snapshot.ts';
import type { AppEvent, ContainerState, MetricSample } from '../../src/engine/types.ts';
import { localCapabilities } from '../../src/local/local-provider.ts';

/** 2024-01-01T12:00:00Z: every fixture time is relative to it. */
export const now = Date.UTC(2024, 0, 1, 12, 0, 0);

/** The local platform's capabilities: every action but pause. */
export const allCapabilities: Capabilities = localCapabilities;

/** `allCapabilities` with `action` unavailable for `reason`. */
export function without(action: Action, reason = 'not supported on local'): Capabilities {
  return { ...allCapabilities, unavailable: { ...allCapabilities.unavailable, [action]: reason } };
}

/** A platform that reports no inputs at all (Kubernetes has no request queue of its own). */
export const noInputs: InputSummary = {
  queued: null,
  inFlight: null,
  done: null,
  failed: null,
  donePerSecond: null,
  failedPerSecond: null,
  p50: null,
  p95: null,
};

export function version(n: number, over: Partial<VersionSummary> = {}): VersionSummary {
  return {
    version: n,
    kind: 'deploy',
    strategy: 'rolling',
    user: 'ana',
    createdAt: now - (10 - n) * 3_600_000,
    outcome: 'superseded',
    rollbackOf: null,
    image: `img${n}`,
    specHash: `hash${n}`,
    ...over,
  };
}

export function containers(
  fn: string,
  v: number,
  state: ContainerState,
  count: number,
  from = 0,
): ContainerSummary[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${fn}-v${v}-${state}-${from + i}`,
    function: fn,
    version: v,
    state,
    inFlight: 0,
    startedAt: now - 60_000,
  }));
}

export function event(secondsAgo: number, message: string, level: AppEvent['level'] = 'info'): AppEvent {
  return { at: now - secondsAgo * 1000, appId: 'shop', level, kind: 'note', message };
}

/** One sample per second for the last `seconds` seconds. */
export function metrics(
  seconds: number,
  at: (i: number) => Partial<MetricSample> = () => ({}),
): MetricSample[] {
  return Array.from({ length: seconds }, (_, i) => ({
    appId: 'shop',
    at: now - (seconds - 1 - i) * 1000,
    containers: { '7': { ready: 3 } },
    queued: 0,
    inFlight: 2,
    done: 100 + i,
    failed: 0,
    p50: 12,
    p95: 40,
    p99: 80,
    ...at(i),
  }));
}

/** A steady app at v7 with three ready web containers. */
export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    platform: 'local',
    app: 'shop',
    appId: 'shop',
    status: 'deployed',
    version: 7,
    strategy: 'rolling',
    rollout: null,
    building: null,
    failed: null,
    functions: [{ name: 'web', url: 'http://127.0.0.1:8080', target: 3, concurrency: 8 }],
    containers: containers('web', 7, 'ready', 3),
    inputs: {
      queued: 0,
      inFlight: 4,
      done: 1200,
      failed: 2,
      donePerSecond: 12,
      failedPerSecond: 0,
      p50: 12,
      p95: 40,
    },
    events: [event(30, 'rollout of v7 done')],
    history: [
      version(7, { outcome: 'active', rollbackOf: 5, kind: 'rollback', user: 'bo' }),
      version(6),
      version(5),
    ],
    metrics: [],
    at: now,
    ...over,
  };
}

/** v7 → v8 rolling, 3 of 5 ready, with one old container draining. */
export function rolling(over: Partial<Snapshot> = {}): Snapshot {
  return snapshot({
    rollout: {
      from: 7,
      to: 8,
      kind: 'deploy',
      strategy: 'rolling',
      phase: 'rolling',
      ready: 3,
      target: 5,
      startedAt: now - 20_000,
    },
    containers: [
      ...containers('web', 7, 'ready', 2),
      ...containers('web', 7, 'draining', 1),
      ...containers('web', 8, 'ready', 3),
      ...containers('web', 8, 'starting', 2),
    ],
    history: [version(8, { outcome: 'rolling', createdAt: now - 20_000 }), ...snapshot().history],
    ...over,
  });
}

/** Many functions, containers, events and versions, with a full chart. */
export function busy(): Snapshot {
  const fns = ['web', 'worker', 'cron', 'mailer'];
  return rolling({
    functions: fns.map((name) => ({ name, url: null, target: 5, concurrency: 4 })),
    containers: fns.flatMap((fn) => [
      ...containers(fn, 7, 'ready', 4),
      ...containers(fn, 7, 'draining', 2),
      ...containers(fn, 8, 'ready', 3),
      ...containers(fn, 8, 'starting', 2),
    ]),
    events: Array.from({ length: 40 }, (_, i) =>
      event(40 - i, `event number ${i}`, i % 7 === 0 ? 'warn' : 'info'),
    ),
    history: [
      version(8, { outcome: 'rolling', createdAt: now - 20_000 }),
      ...Array.from({ length: 7 }, (_, i) => version(7 - i, { createdAt: now - (8 - i) * 60_000 })),
    ],
    metrics: metrics(
      300,
      (i): Partial<MetricSample> => ({
        containers:
          i > 290 ? { '7': { ready: 3 }, '8': { ready: Math.min(3, i - 290) } } : { '7': { ready: 3 } },
        queued: i % 10,
      }),
    ),
  });
}
