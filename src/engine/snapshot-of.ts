// The local platform's Snapshot, straight from the engine's state.
import { templateFor } from './containers.ts';
import type { FunctionSummary, RolloutSummary, Snapshot, VersionSummary } from './snapshot.ts';
import type { Version } from './types.ts';
import { type AppState, desiredVersion, type World } from './world.ts';

export function versionSummary(v: Version): VersionSummary {
  return {
    version: v.number,
    kind: v.kind,
    strategy: v.strategy,
    user: v.user,
    createdAt: v.createdAt,
    outcome: v.outcome,
    rollbackOf: v.rollbackOf,
    image: v.spec.image,
    specHash: v.specHash,
  };
}

function rolloutSummary(app: AppState): RolloutSummary | null {
  const rollout = app.rollout;
  if (!rollout) return null;
  const target = app.versions[rollout.to - 1]!;
  let ready = 0;
  let old = 0;
  const templates = new Set(target.spec.functions.map((fn) => templateFor(target, fn)));
  for (const c of app.containers.values()) {
    if (templates.has(c.template) && c.state !== 'draining') {
      if (c.state === 'ready') ready++;
    } else {
      old++;
    }
  }
  const total = target.spec.functions.reduce((sum, fn) => sum + fn.containers, 0);
  const phase: RolloutSummary['phase'] =
    rollout.strategy === 'recreate'
      ? 'recreating'
      : ready === 0
        ? 'starting'
        : ready >= total && old > 0
          ? 'draining'
          : 'rolling';
  return {
    from: rollout.from,
    to: rollout.to,
    kind: rollout.kind,
    strategy: rollout.strategy,
    phase,
    ready,
    target: total,
    startedAt: rollout.startedAt,
  };
}

export interface SnapshotOptions {
  platform: string;
  /** Where each function's inputs go in (the proxy's URL), by function name. */
  urls: Record<string, string>;
  historyLimit?: number;
}

export function snapshotOf(world: World, appId: string, options: SnapshotOptions): Snapshot | null {
  const app = world.apps.get(appId);
  if (!app) return null;
  const desired = desiredVersion(app) ?? app.versions.at(-1) ?? null;
  const functions: FunctionSummary[] = (desired?.spec.functions ?? []).map((fn) => ({
    name: fn.name,
    url: options.urls[fn.name] ?? null,
    target: fn.containers,
    concurrency: fn.concurrency,
  }));
  const last = app.recentMetrics.at(-1);
  const buildId = app.record.status === 'deployed' ? world.buildByName.get(app.record.name) : undefined;
  const build = buildId === undefined ? undefined : world.builds.get(buildId);
  const history = app.versions
    .slice(-(options.historyLimit ?? 50))
    .reverse()
    .map(versionSummary);
  return {
    platform: options.platform,
    app: app.record.name,
    appId: app.record.id,
    status: app.record.status,
    version: app.current,
    strategy: desired?.strategy ?? 'rolling',
    rollout: rolloutSummary(app),
    building: build ? { since: build.startedAt, user: build.user } : null,
    failed: app.failure,
    functions,
    containers: [...app.containers.values()].map((c) => ({
      id: c.id,
      function: c.function,
      version: c.version,
      state: c.state,
      inFlight: c.inFlight,
      startedAt: c.startedAt,
    })),
    inputs: {
      queued: app.queued,
      inFlight: app.inFlight,
      done: app.done,
      failed: app.failed,
      donePerSecond: last?.done ?? 0,
      failedPerSecond: last?.failed ?? 0,
      p50: last?.p50 ?? null,
      p95: last?.p95 ?? null,
    },
    // A failed build's output (up to 64 KiB) stays in its stored event, not in every snapshot.
    events: app.recentEvents.map(({ detail: _detail, ...event }) => event),
    history,
    metrics: [...app.recentMetrics],
    at: world.now,
  };
}
