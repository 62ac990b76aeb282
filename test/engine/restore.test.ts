// Write-ahead: an app's engine state can be rebuilt from what the record effects wrote. The
// records here are kept exactly as the store keeps them (upserts by app and by version number).
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/effects.ts';
import { restoreWorld } from '../../src/engine/restore.ts';
import { step } from '../../src/engine/step.ts';
import type { AppRecord, Version } from '../../src/engine/types.ts';
import { Driver, spec } from './driver.ts';

const v2Image = `sha256:${'b'.repeat(64)}`;

/** What a store holds after these effects: apps and versions, upserted. */
function recorded(effects: Effect[]): Array<{ app: AppRecord; versions: Version[] }> {
  const apps = new Map<string, AppRecord>();
  const versions = new Map<string, Map<number, Version>>();
  for (const e of effects) {
    if (e.type === 'record-app') apps.set(e.app.id, e.app);
    if (e.type === 'record-version') {
      const byNumber = versions.get(e.appId) ?? new Map<number, Version>();
      byNumber.set(e.version.number, e.version);
      versions.set(e.appId, byNumber);
    }
  }
  return [...apps.values()].map((app) => ({
    app,
    versions: [...(versions.get(app.id)?.values() ?? [])].sort((a, b) => a.number - b.number),
  }));
}

describe('restore from the store (write-ahead)', () => {
  it('a rollout interrupted by a crash is carried through; numbers go on where they were', () => {
    const d = new Driver();
    d.deploy(spec());
    d.readyAll();
    d.deploy(spec({ image: v2Image }));
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    const idsBefore = new Set(d.containers().map((c) => c.id));

    // The daemon dies here: no container survives it. Rebuild from the records alone.
    const { world, effects } = restoreWorld(recorded(d.effects), d.now + 1000, d.world.sequence);
    const app = world.apps.get('shop')!;
    expect(app.current).toBe(1);
    expect(app.rollout).toMatchObject({ from: 1, to: 2 });
    const started = effects.filter((e) => e.type === 'start-container');
    expect(started.map((e) => e.type === 'start-container' && e.container.version)).toEqual([2, 2, 2]);
    expect(started.some((e) => e.type === 'start-container' && idsBefore.has(e.container.id))).toBe(false);

    // It converges, and the next deploy takes v3.
    let now = d.now + 2000;
    for (const e of started) {
      if (e.type === 'start-container')
        step(world, { type: 'container-ready', at: ++now, containerId: e.container.id });
    }
    expect(app.current).toBe(2);
    expect(app.versions.map((v) => v.outcome)).toEqual(['superseded', 'active']);
    const deploy = step(world, {
      type: 'deploy',
      at: ++now,
      requestId: 'r',
      app: 'shop',
      user: 'ops',
      spec: spec({ image: `sha256:${'c'.repeat(64)}` }),
      secretFingerprints: {},
    });
    const build = deploy.effects.find((e) => e.type === 'build-image');
    if (build?.type !== 'build-image') throw new Error('no build');
    const done = step(world, { type: 'build-finished', at: ++now, buildId: build.buildId }).effects;
    expect(done.find((e) => e.type === 'reply')).toMatchObject({ reply: { ok: true, version: 3 } });
  });

  it('a stopped app stays stopped with nothing started; the name goes to its newest app', () => {
    const d = new Driver();
    d.deploy(spec());
    d.readyAll();
    d.command({ type: 'stop', app: 'shop', user: 'ops' });
    d.deploy(spec());
    d.readyAll();

    const { world, effects } = restoreWorld(recorded(d.effects), d.now + 1000, d.world.sequence);
    expect(world.apps.get('shop')!.record.status).toBe('stopped');
    expect(world.latestByName.get('shop')).toBe('shop#2');
    const started = effects.filter((e) => e.type === 'start-container');
    expect(started.every((e) => e.type === 'start-container' && e.container.appId === 'shop#2')).toBe(true);
    expect(started).toHaveLength(3);
  });

  it('A1 the containers still running are adopted: none restarted, the rollout goes on from them', () => {
    const d = new Driver();
    d.deploy(spec());
    d.readyAll();
    d.deploy(spec({ image: v2Image }));
    const v2First = d.containers({ version: 2 })[0]!;
    d.send({ type: 'container-ready', containerId: v2First.id });
    // What runs when the daemon dies: v1's containers (one draining), v2's first ready one, one starting.
    const running = d.containers().map((c) => ({
      id: c.id,
      appId: c.appId,
      function: c.function,
      version: c.version,
      ready: c.state !== 'starting',
    }));

    const { world, effects, adopted } = restoreWorld(
      recorded(d.effects),
      d.now + 1000,
      d.world.sequence,
      {},
      running,
    );
    expect(adopted.sort()).toEqual(running.map((c) => c.id).sort());
    const app = world.apps.get('shop')!;
    expect(app.rollout).toMatchObject({ from: 1, to: 2 });
    // The ready v2 container is kept as ready; only what the target still lacks is started.
    expect(app.containers.get(v2First.id)).toMatchObject({ state: 'ready', version: 2 });
    const started = effects.filter((e) => e.type === 'start-container');
    const v2Running = running.filter((c) => c.version === 2).length;
    expect(started.length).toBeLessThanOrEqual(3 - v2Running);
    // Nothing adopted is started again, and no new id repeats one in use.
    for (const e of started) if (e.type === 'start-container') expect(adopted).not.toContain(e.container.id);

    // A container of a version the records do not know (or of a stopped app) is not taken.
    const stray = { id: 'shop-web-999', appId: 'shop', function: 'web', version: 7, ready: true };
    expect(restoreWorld(recorded(d.effects), d.now + 1000, d.world.sequence, {}, [stray]).adopted).toEqual(
      [],
    );
  });
});
