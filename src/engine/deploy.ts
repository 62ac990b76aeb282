// A deploy (D1, D2, D4) and its build: the same spec as what runs changes nothing; otherwise the
// image is built first, and only a build that succeeds makes a version (of a new app, when the
// name is new or stopped). A failed build uses no version number and touches nothing running.
import { latestApp, refuse, reply } from './commands.ts';
import { type Ctx, emit, nextId, note } from './context.ts';
import type { CommandEvent, PlatformEvent } from './events.ts';
import { addVersion, cancelBuild, startRollout } from './rollout.ts';
import { specHash } from './spec-hash.ts';
import { type AppRecord, appIdFor } from './types.ts';
import { type AppState, createAppState, desiredVersion } from './world.ts';

/** A deploy: a no-op reply (D2), or a build started for the spec (D4). */
export function deploy(ctx: Ctx, event: Extract<CommandEvent, { type: 'deploy' }>): void {
  const app = latestApp(ctx, event.app);
  const hash = specHash(event.spec);
  const running = app && app.record.status === 'deployed' ? desiredVersion(app) : null;
  // D2: the same spec as what runs (or is rolling out) changes nothing.
  if (app && running && running.specHash === hash) {
    cancelBuild(ctx, event.app, `a deploy of v${running.number}'s spec by ${event.user}`);
    note(ctx, app, 'info', 'deploy-noop', `deploy by ${event.user}: no change from v${running.number}`);
    // Still rolling out: the caller is told so (and the CLI waits for it), not that it runs.
    const message =
      running.outcome === 'rolling'
        ? `no change: v${running.number}'s rollout of this spec is in progress`
        : `no change: v${running.number} already runs this spec`;
    reply(ctx, event.requestId, {
      ok: true,
      app: event.app,
      version: running.number,
      noop: true,
      rollbackOf: null,
      message,
      warnings: [],
    });
    return;
  }
  cancelBuild(ctx, event.app, `a newer deploy by ${event.user}`);
  const buildId = nextId(ctx, `build-${event.app}`);
  ctx.world.builds.set(buildId, {
    buildId,
    requestId: event.requestId,
    appName: event.app,
    spec: event.spec,
    specHash: hash,
    strategy: event.strategy ?? event.spec.strategy,
    user: event.user,
    secretFingerprints: event.secretFingerprints,
    startedAt: ctx.at,
  });
  ctx.world.buildByName.set(event.app, buildId);
  // D4: the image is built before any container starts; the current version keeps serving.
  emit(ctx, { type: 'build-image', app: event.app, buildId, requestId: event.requestId, spec: event.spec });
  if (app && app.record.status === 'deployed') {
    note(ctx, app, 'info', 'build-started', `building ${event.spec.image.slice(7, 19)} for ${event.user}`);
  }
}

/** The app a finished build belongs to; a new one (D1, T1) when the name is new or stopped. */
function appForBuild(ctx: Ctx, name: string): AppState {
  const existing = latestApp(ctx, name);
  if (existing && existing.record.status === 'deployed') return existing;
  const generation = (existing?.record.generation ?? 0) + 1;
  const record: AppRecord = {
    id: appIdFor(name, generation),
    name,
    generation,
    status: 'deployed',
    createdAt: ctx.wall,
    stoppedAt: null,
  };
  const app = createAppState(record, ctx.at);
  ctx.world.apps.set(record.id, app);
  ctx.world.latestByName.set(name, record.id);
  emit(ctx, { type: 'record-app', app: { ...record } });
  return app;
}

/** A build ended: a new version rolls out, or the failure is recorded and refused (D4). */
export function buildEnded(
  ctx: Ctx,
  event: Extract<PlatformEvent, { type: 'build-finished' | 'build-failed' }>,
): void {
  const build = ctx.world.builds.get(event.buildId);
  if (!build) return; // cancelled: a newer command superseded it
  ctx.world.builds.delete(event.buildId);
  ctx.world.buildByName.delete(build.appName);
  if (event.type === 'build-failed') {
    // D4: no version number used, nothing running touched; the output is kept in the event log.
    const existing = latestApp(ctx, build.appName);
    const appId =
      existing?.record.status === 'deployed'
        ? existing.record.id
        : appIdFor(build.appName, (existing?.record.generation ?? 0) + 1);
    // The message names the last line, cut short: the whole output is the event's detail (D4).
    const last = event.output.trim().split('\n').pop() ?? '';
    const lastLine = last.length > 200 ? `${last.slice(0, 200)}…` : last;
    const eventRecord = {
      at: ctx.wall,
      appId,
      level: 'error' as const,
      kind: 'build-failed',
      message: `build failed${lastLine ? `: ${lastLine}` : ''}`,
      detail: event.output,
    };
    if (existing?.record.status === 'deployed') {
      existing.recentEvents.push(eventRecord);
    }
    emit(ctx, { type: 'record-event', event: eventRecord });
    refuse(ctx, build.requestId, build.appName, 'build-failed', eventRecord.message);
    return;
  }
  const app = appForBuild(ctx, build.appName);
  const version = addVersion(ctx, app, {
    kind: 'deploy',
    strategy: build.strategy,
    user: build.user,
    base: build,
    secretFingerprints: build.secretFingerprints,
  });
  startRollout(ctx, app, version);
  reply(ctx, build.requestId, {
    ok: true,
    app: build.appName,
    version: version.number,
    noop: false,
    rollbackOf: null,
    message: `v${version.number} created`,
    warnings: [],
  });
}
