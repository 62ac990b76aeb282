// The local platform's Snapshot, straight from the engine's state.
import { containerRows, lastFailure, type ProbeAnswers } from './container-rows.ts';
import { templateFor } from './containers.ts';
import { defaultRollbackTarget } from './rollback-target.ts';
import type { FunctionSummary, RolloutSummary, Snapshot, VersionSummary } from './snapshot.ts';
import { specSummary } from './spec-summary.ts';
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
    activatedAt: v.activatedAt,
    spec: specSummary(v),
  };
}

/** A rollback's target; for a rollover, the newest older version with the same spec (O1). */
function specOf(app: AppState, version: Version): number | null {
  if (version.kind === 'rollback') return version.rollbackOf;
  if (version.kind === 'deploy') return null;
  for (let n = version.number - 1; n >= 1; n--) {
    if (app.versions[n - 1]!.specHash === version.specHash) return n;
  }
  return null;
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
    specOf: specOf(app, target),
    strategy: rollout.strategy,
    phase,
    ready,
    target: total,
    startedAt: rollout.startedAt,
  };
}

/** H1: why the rollout failed, and the container whose failure decided it (its probe's last answer). */
function failedOf(app: AppState, probe: ProbeAnswers | undefined): Snapshot['failed'] {
  if (app.failure === null) return null;
  const version = app.failure.version;
  const container = lastFailure(app, (e) => e.version === version)?.container ?? null;
  return { ...app.failure, container, probe: container === null ? null : (probe?.(container) ?? null) };
}

export interface SnapshotOptions {
  platform: string;
  /** Where each function's inputs go in (the proxy's URL), by function name. */
  urls: Record<string, string>;
  historyLimit?: number;
  /** What each starting (or failed) container's readiness probe answered last. */
  probe?: ProbeAnswers;
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
    startTimeoutMs: fn.startTimeoutMs,
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
    paused: Boolean(app.rollout?.paused),
    rollbackTarget: app.record.status === 'deployed' ? defaultRollbackTarget(app) : null,
    building: build ? { since: build.startedAt, user: build.user } : null,
    failed: failedOf(app, options.probe),
    functions,
    containers: containerRows(app, options.probe),
    inputs: {
      queued: app.queued,
      inFlight: app.inFlight,
      done: app.done,
      failed: app.failed,
      cancelled: app.cancelled,
      donePerSecond: last?.done ?? 0,
      failedPerSecond: last?.failed ?? 0,
      p50: last?.p50 ?? null,
      p95: last?.p95 ?? null,
    },
    // A failed build's output (up to 64 KiB) stays in its stored event, not in every snapshot.
    events: app.recentEvents.map(({ detail: _detail, ...event }) => event),
    history,
    historyTotal: app.versions.length,
    metrics: [...app.recentMetrics],
    at: world.now,
  };
}
