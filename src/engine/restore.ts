// Rebuilding the engine from what the store recorded (write-ahead), after a restart or a crash.
// Containers the previous daemon left running are adopted (A1), not restarted: each deployed app
// converges from them to the active version at its target, and a rollout that was interrupted is
// carried through to its end.
import { reconcile, templateFor } from './containers.ts';
import { type Ctx, note, saveVersion } from './context.ts';
import type { Effect } from './effects.ts';
import { withDefaults } from './function-defaults.ts';
import type { EngineOptions } from './options.ts';
import type { AppEvent, AppRecord, MetricSample, Version } from './types.ts';
import { type AppState, createAppState, createWorld, type World } from './world.ts';

export interface RestoredWorld {
  world: World;
  effects: Effect[];
  /** Ids of the adopted containers the engine took on (the others must be stopped). */
  adopted: string[];
}

/** A container still running from before the restart, as the platform found it (A1). */
export interface AdoptedContainer {
  id: string;
  appId: string;
  function: string;
  /** The version it was started for: its template comes from that version's spec. */
  version: number;
  /** It answered its readiness check just now. */
  ready: boolean;
}

/** What the store recorded of one app: its versions, and (M1) its recent events and samples. */
export interface AppRecords {
  app: AppRecord;
  versions: Version[];
  /** The last events, oldest first: the screen shows them again after a restart. */
  events?: AppEvent[];
  /** The last metric samples, oldest first: the chart goes on where it was. */
  metrics?: MetricSample[];
}

export function restoreWorld(
  records: AppRecords[],
  at: number,
  sequence: number,
  options: Partial<EngineOptions> = {},
  adopted: AdoptedContainer[] = [],
  /** Wall-clock time for what is recorded (default: at). */
  wall: number = at,
): RestoredWorld {
  const world = createWorld(options, sequence);
  world.now = at;
  const ctx: Ctx = { world, at, wall, effects: [] };
  const restored: AppState[] = [];
  for (const { app: record, versions, events = [], metrics = [] } of records) {
    const app = createAppState({ ...record }, at);
    // Versions recorded before a function limit existed get its default.
    app.versions = versions.map((v) => ({
      ...v,
      spec: { ...v.spec, functions: v.spec.functions.map(withDefaults) },
    }));
    app.recentEvents = events.slice(-world.options.recentEvents);
    app.recentMetrics = metrics.slice(-world.options.recentMetrics);
    world.apps.set(record.id, app);
    const latest = world.latestByName.get(record.name);
    const latestGeneration = latest === undefined ? 0 : world.apps.get(latest)!.record.generation;
    if (record.generation > latestGeneration) world.latestByName.set(record.name, record.id);

    const active = [...app.versions].reverse().find((v) => v.outcome === 'active');
    app.current = active?.number ?? null;
    // H1: a newer version's rollout that failed is still the app's latest news after a restart.
    const newest = app.versions.at(-1);
    if (newest?.outcome === 'failed' && newest.number > (app.current ?? 0))
      app.failure = { version: newest.number, reason: 'its rollout failed before the daemon restarted' };
    const rolling = app.versions.filter((v) => v.outcome === 'rolling');
    const target = rolling.pop();
    for (const stale of rolling) {
      stale.outcome = 'superseded';
      saveVersion(ctx, app, stale);
    }
    if (target && record.status === 'deployed') {
      app.rollout = {
        from: app.current,
        to: target.number,
        kind: target.kind,
        strategy: target.strategy,
        startedAt: at,
        failures: {},
      };
    } else if (target) {
      target.outcome = 'superseded';
      saveVersion(ctx, app, target);
    }
    if (record.status === 'deployed') restored.push(app);
  }
  const taken: string[] = [];
  for (const found of adopted) {
    const app = world.apps.get(found.appId);
    const version = app?.versions[found.version - 1];
    const fn = version?.spec.functions.find((f) => f.name === found.function);
    if (!app || !version || !fn || app.record.status !== 'deployed') continue;
    app.containers.set(found.id, {
      id: found.id,
      appId: found.appId,
      function: found.function,
      version: found.version,
      template: templateFor(version, fn),
      state: found.ready ? 'ready' : 'starting',
      accepting: true,
      concurrency: fn.concurrency,
      inFlight: 0,
      // Judged from now: a start timeout counted from its first start would fail it at once.
      startedAt: at,
      readyAt: found.ready ? at : null,
      drainStartedAt: null,
    });
    world.containerApp.set(found.id, app.record.id);
    taken.push(found.id);
  }
  for (const app of restored) {
    const what = app.rollout
      ? `resuming the rollout to v${app.rollout.to}`
      : `v${app.current ?? '-'} at its target`;
    const kept = app.containers.size > 0 ? `, ${app.containers.size} running container(s) adopted` : '';
    note(ctx, app, 'warn', 'restored', `daemon restarted: ${what}${kept}`);
    reconcile(ctx, app);
  }
  return { world, effects: ctx.effects, adopted: taken };
}
