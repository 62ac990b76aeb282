// Rebuilding the engine from what the store recorded (write-ahead), after a restart or a crash.
// No container survives its daemon, so each deployed app converges again from nothing: the
// active version at its target, and a rollout that was interrupted carried through to its end.
import { reconcile } from './containers.ts';
import { type Ctx, note, saveVersion } from './context.ts';
import type { Effect } from './effects.ts';
import { withDefaults } from './function-defaults.ts';
import type { EngineOptions } from './options.ts';
import type { AppRecord, Version } from './types.ts';
import { type AppState, createAppState, createWorld, type World } from './world.ts';

export interface RestoredWorld {
  world: World;
  effects: Effect[];
}

export function restoreWorld(
  records: Array<{ app: AppRecord; versions: Version[] }>,
  at: number,
  sequence: number,
  options: Partial<EngineOptions> = {},
): RestoredWorld {
  const world = createWorld(options, sequence);
  world.now = at;
  const ctx: Ctx = { world, at, effects: [] };
  const restored: AppState[] = [];
  for (const { app: record, versions } of records) {
    const app = createAppState({ ...record }, at);
    // Versions recorded before a function limit existed get its default.
    app.versions = versions.map((v) => ({
      ...v,
      spec: { ...v.spec, functions: v.spec.functions.map(withDefaults) },
    }));
    world.apps.set(record.id, app);
    const latest = world.latestByName.get(record.name);
    const latestGeneration = latest === undefined ? 0 : world.apps.get(latest)!.record.generation;
    if (record.generation > latestGeneration) world.latestByName.set(record.name, record.id);

    const active = [...app.versions].reverse().find((v) => v.outcome === 'active');
    app.current = active?.number ?? null;
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
  for (const app of restored) {
    const what = app.rollout
      ? `resuming the rollout to v${app.rollout.to}`
      : `v${app.current ?? '-'} at its target`;
    note(ctx, app, 'warn', 'restored', `daemon restarted: ${what}`);
    reconcile(ctx, app);
  }
  return { world, effects: ctx.effects };
}
