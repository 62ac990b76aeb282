// The engine's rules (DESIGN.md), each scripted on a simulated clock and asserted as data.
import { describe, expect, it } from 'vitest';
import { specHash } from '../../src/engine/spec-hash.ts';
import { Driver, fnSpec, spec } from './driver.ts';

const v2Image = 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

function deployedAtTarget(options = {}): Driver {
  const d = new Driver(options);
  d.deploy(spec());
  d.readyAll();
  return d;
}

describe('D1 version numbers', () => {
  it('the first deploy creates the app at v1, each changing deploy the next number', () => {
    const d = new Driver();
    expect(d.deploy(spec())).toMatchObject({ ok: true, version: 1, noop: false });
    expect(d.app().record).toMatchObject({ id: 'shop', name: 'shop', generation: 1, status: 'deployed' });
    d.readyAll();
    expect(d.deploy(spec({ image: v2Image }))).toMatchObject({ ok: true, version: 2 });
    expect(d.app().versions.map((v) => v.number)).toEqual([1, 2]);
  });
});

describe('D2 no-op deploy', () => {
  it('the same spec creates no version and touches no container', () => {
    const d = deployedAtTarget();
    const before = d.containers().map((c) => c.id);
    const { effects, reply } = d.command({
      type: 'deploy',
      app: 'shop',
      user: 'bob',
      spec: spec(),
      secretFingerprints: {},
    });
    expect(reply).toMatchObject({ ok: true, version: 1, noop: true });
    expect(effects.map((e) => e.type).sort()).toEqual(['record-event', 'reply']);
    expect(d.containers().map((c) => c.id)).toEqual(before);
    expect(d.app().versions).toHaveLength(1);
  });

  it('the hash ignores key order', () => {
    const a = spec({ env: { A: '1', B: '2' } });
    const b = spec({ env: { B: '2', A: '1' } });
    expect(specHash(a)).toBe(specHash(b));
  });
});

describe('D3 the app is the unit of deployment', () => {
  it('a change to one function replaces the containers of every function', () => {
    const d = new Driver();
    const worker = fnSpec({ name: 'worker', containers: 1 });
    d.deploy(spec({ functions: [fnSpec(), worker] }));
    d.readyAll();
    d.deploy(spec({ functions: [fnSpec(), { ...worker, command: 'node worker2.js' }] }));
    d.readyAll();
    expect(d.containers({ function: 'web' }).every((c) => c.version === 2)).toBe(true);
    expect(d.containers({ function: 'web' })).toHaveLength(3);
    expect(d.containers({ function: 'worker' }).map((c) => c.version)).toEqual([2]);
  });
});

describe('D4 builds', () => {
  it('builds before any container starts, and a failed build changes nothing', () => {
    const d = deployedAtTarget();
    const before = d.containers().map((c) => c.id);
    const { effects } = d.command({
      type: 'deploy',
      app: 'shop',
      user: 'bob',
      spec: spec({ image: v2Image }),
      secretFingerprints: {},
    });
    expect(effects.map((e) => e.type)).toEqual(['build-image', 'record-event']);
    const build = d.of('build-image', effects)[0]!;
    const failed = d.send({
      type: 'build-failed',
      buildId: build.buildId,
      output: 'npm ERR! missing script\nexit 1',
    });
    expect(d.of('reply', failed)[0]!.reply).toMatchObject({
      ok: false,
      code: 'build-failed',
      message: 'build failed: exit 1',
    });
    expect(d.of('record-event', failed)[0]!.event).toMatchObject({
      kind: 'build-failed',
      detail: 'npm ERR! missing script\nexit 1',
    });
    expect(d.of('start-container', failed)).toHaveLength(0);
    expect(d.app().versions).toHaveLength(1);
    expect(d.containers().map((c) => c.id)).toEqual(before);
    // The next successful deploy takes v2: the failed build used no number.
    expect(d.deploy(spec({ image: v2Image }))).toMatchObject({ version: 2 });
  });

  it('a first deploy whose build fails creates no app', () => {
    const d = new Driver();
    const { effects } = d.command({
      type: 'deploy',
      app: 'shop',
      user: 'bob',
      spec: spec(),
      secretFingerprints: {},
    });
    const build = d.of('build-image', effects)[0]!;
    d.send({ type: 'build-failed', buildId: build.buildId, output: 'boom' });
    expect(d.world.latestByName.has('shop')).toBe(false);
  });
});

describe('S1 rolling', () => {
  it('keeps ready capacity at the target; each new ready container drains one old one', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    expect(d.containers({ version: 2 })).toHaveLength(1); // max_surge 1
    expect(d.readyCapacity()).toBe(3);
    let guard = 0;
    while (d.app().rollout && guard++ < 20) {
      const next = d.containers({ version: 2, state: 'starting' })[0];
      if (next) d.send({ type: 'container-ready', containerId: next.id }, 100);
      expect(d.readyCapacity()).toBeGreaterThanOrEqual(3);
    }
    expect(d.app().current).toBe(2);
    expect(d.containers().map((c) => c.version)).toEqual([2, 2, 2]);
    expect(d.app().versions.map((v) => v.outcome)).toEqual(['superseded', 'active']);
  });

  it('a draining container exits only once its in-flight inputs finish', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method: 'GET' });
    const onOld = d.of('route').at(-1)!.containerId;
    d.deploy(spec({ image: v2Image }));
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    // The least-loaded old container drains first, so load the others to force i1's.
    const old = d.app().containers.get(onOld)!;
    expect(['ready', 'draining']).toContain(old.state);
    d.readyAll();
    expect(d.app().containers.get(onOld)?.state).toBe('draining');
    expect(d.of('terminate').some((t) => t.containerId === onOld)).toBe(false);
    const finished = d.send({ type: 'input-finished', inputId: 'i1', containerId: onOld }, 50);
    expect(d.of('terminate', finished).map((t) => t.containerId)).toContain(onOld);
    expect(d.app().current).toBe(2);
  });

  it('after the drain timeout, what is left is retried elsewhere, not failed', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method: 'GET' });
    const onOld = d.of('route').at(-1)!.containerId;
    d.deploy(spec({ image: v2Image }));
    d.readyAll();
    const routed = d.send({ type: 'tick' }, 30_000);
    expect(d.of('terminate', routed).map((t) => t.containerId)).toContain(onOld);
    const retry = d.of('route', routed).find((r) => r.inputId === 'i1');
    expect(retry?.containerId).not.toBe(onOld);
    expect(d.of('answer-error')).toHaveLength(0);
  });
});

describe('S2 recreate', () => {
  it('terminates every old container at once, requeues their inputs at the front, and waits', () => {
    const d = deployedAtTarget();
    for (const id of ['i1', 'i2'])
      d.send({ type: 'input-arrived', inputId: id, appId: 'shop', function: 'web', method: 'GET' });
    const effects = d.command({
      type: 'deploy',
      app: 'shop',
      user: 'bob',
      spec: spec({ image: v2Image }),
      strategy: 'recreate',
      secretFingerprints: {},
    }).effects;
    const build = d.of('build-image', effects)[0]!;
    const started = d.send({ type: 'build-finished', buildId: build.buildId });
    expect(d.of('terminate', started)).toHaveLength(3);
    expect(d.containers().every((c) => c.version === 2)).toBe(true);
    expect(d.app().queued).toBe(2);
    d.send({ type: 'input-arrived', inputId: 'i3', appId: 'shop', function: 'web', method: 'GET' });
    const first = d.containers({ version: 2 })[0]!;
    const routed = d.send({ type: 'container-ready', containerId: first.id });
    // Concurrency 2: the two requeued inputs go first, in arrival order; i3 waits.
    expect(d.of('route', routed).map((r) => r.inputId)).toEqual(['i1', 'i2']);
    expect(d.of('answer-error')).toHaveLength(0);
  });
});

describe('O1 rollover', () => {
  it('creates a version with the same spec and replaces every container', () => {
    const d = deployedAtTarget();
    const before = new Set(d.containers().map((c) => c.id));
    const { reply } = d.command({ type: 'rollover', app: 'shop', user: 'ops', secretFingerprints: {} });
    expect(reply).toMatchObject({ ok: true, version: 2 });
    d.readyAll();
    const [v1, v2] = d.app().versions;
    expect(v2).toMatchObject({ kind: 'rollover', specHash: v1!.specHash, outcome: 'active' });
    expect(d.containers().some((c) => before.has(c.id))).toBe(false);
  });
});

describe('B1 rollback', () => {
  it('mid-rolling-deploy takes effect at once: the old containers still serving are kept', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    const stillServing = d
      .containers({ version: 1 })
      .filter((c) => c.accepting)
      .map((c) => c.id);
    expect(stillServing).toHaveLength(2);
    const { reply } = d.command({ type: 'rollback', app: 'shop', user: 'carol', secretFingerprints: {} });
    expect(reply).toMatchObject({ ok: true, version: 3, rollbackOf: 1, noop: false });
    const v3 = d.app().versions[2]!;
    expect(v3).toMatchObject({ kind: 'rollback', user: 'carol', specHash: d.app().versions[0]!.specHash });
    // The kept containers now serve v3; one more starts to reach the target.
    for (const id of stillServing) expect(d.app().containers.get(id)?.version).toBe(3);
    d.readyAll();
    expect(d.app().current).toBe(3);
    expect(d.app().versions[1]!.outcome).toBe('superseded');
    for (const id of stillServing) expect(d.app().containers.get(id)?.state).toBe('ready');
  });

  it('rolls back to any earlier version by number, running its stored spec', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    d.readyAll();
    d.deploy(spec({ image: 'sha256:cccc' }));
    d.readyAll();
    const { reply } = d.command({
      type: 'rollback',
      app: 'shop',
      user: 'carol',
      to: 1,
      secretFingerprints: {},
    });
    expect(reply).toMatchObject({ ok: true, version: 4, rollbackOf: 1 });
    expect(d.of('start-container').at(-1)!.image).toBe(spec().image);
  });

  it('refuses unknown and missing targets with the reason', () => {
    const d = deployedAtTarget();
    expect(
      d.command({ type: 'rollback', app: 'shop', user: 'x', secretFingerprints: {} }).reply,
    ).toMatchObject({
      ok: false,
      code: 'no-earlier-version',
    });
    expect(
      d.command({ type: 'rollback', app: 'shop', user: 'x', to: 9, secretFingerprints: {} }).reply,
    ).toEqual({
      ok: false,
      app: 'shop',
      code: 'unknown-version',
      message: 'shop has no v9 (newest is v1)',
    });
    expect(
      d.command({ type: 'rollback', app: 'nope', user: 'x', secretFingerprints: {} }).reply,
    ).toMatchObject({
      ok: false,
      code: 'unknown-app',
    });
  });
});

describe('B2 secrets', () => {
  it('a rollback warns by name when secrets or their fingerprints differ', () => {
    const d = new Driver();
    d.command({
      type: 'deploy',
      app: 'shop',
      user: 'a',
      spec: spec({ secrets: ['STRIPE_KEY'] }),
      secretFingerprints: { STRIPE_KEY: 'f1' },
    });
    d.send({ type: 'build-finished', buildId: d.of('build-image').at(-1)!.buildId });
    d.readyAll();
    d.command({
      type: 'deploy',
      app: 'shop',
      user: 'a',
      spec: spec({ image: v2Image, secrets: ['STRIPE_KEY', 'DB_URL'] }),
      secretFingerprints: { STRIPE_KEY: 'f2', DB_URL: 'g' },
    });
    d.send({ type: 'build-finished', buildId: d.of('build-image').at(-1)!.buildId });
    d.readyAll();
    const { reply } = d.command({
      type: 'rollback',
      app: 'shop',
      user: 'a',
      secretFingerprints: { STRIPE_KEY: 'f2' },
    });
    expect(reply).toMatchObject({
      ok: true,
      warnings: [
        'secret STRIPE_KEY differs between v2 and v1',
        'v2 expects secret DB_URL, which v1 does not',
      ],
    });
    expect(JSON.stringify(d.effects)).not.toContain('hunter2');
  });
});

describe('C1 one rollout at a time', () => {
  it('a deploy mid-rollout supersedes it', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    d.deploy(spec({ image: 'sha256:cccc' }));
    expect(d.app().versions.map((v) => v.outcome)).toEqual(['active', 'superseded', 'rolling']);
    d.readyAll();
    expect(d.app().current).toBe(3);
    expect(d.containers().every((c) => c.version === 3)).toBe(true);
  });

  it('two rollbacks at once produce exactly one version, and the second is told why', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    // One v2 container ready drains one v1 container, so the rollback still has work to do.
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    const first = d.command({ type: 'rollback', app: 'shop', user: 'alice', secretFingerprints: {} }).reply;
    const second = d.command({ type: 'rollback', app: 'shop', user: 'bob', secretFingerprints: {} }).reply;
    expect(first).toMatchObject({ ok: true, version: 3, noop: false });
    expect(second).toMatchObject({
      ok: true,
      version: 3,
      noop: true,
      message: "v3 (rollback by alice) already rolls out v1's spec",
    });
    expect(d.app().versions).toHaveLength(3);
  });

  it('two rollbacks at once after a deploy went active: one version, not a rollback of the rollback', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    d.readyAll();
    expect(d.app().current).toBe(2);
    const first = d.command({ type: 'rollback', app: 'shop', user: 'alice', secretFingerprints: {} }).reply;
    const second = d.command({ type: 'rollback', app: 'shop', user: 'bob', secretFingerprints: {} }).reply;
    expect(first).toMatchObject({ ok: true, version: 3, rollbackOf: 1, noop: false });
    expect(second).toMatchObject({
      ok: true,
      version: 3,
      rollbackOf: 1,
      noop: true,
      message: "v3 (rollback by alice) already rolls out v1's spec",
    });
    expect(d.app().versions).toHaveLength(3);
    // Once it is active, a rollback undoes it.
    d.readyAll();
    const undo = d.command({ type: 'rollback', app: 'shop', user: 'bob', secretFingerprints: {} }).reply;
    expect(undo).toMatchObject({ ok: true, version: 4, rollbackOf: 2, noop: false });
  });
});

describe('H1 failures', () => {
  it('replaces a container that exits, after a back-off', () => {
    const d = deployedAtTarget();
    const victim = d.containers()[0]!;
    const effects = d.send({ type: 'container-exited', containerId: victim.id, code: 1, signal: null });
    expect(d.of('start-container', effects)).toHaveLength(0);
    const later = d.send({ type: 'tick' }, 600);
    expect(d.of('start-container', later)).toHaveLength(1);
  });

  it('a crash-looping new version fails the rollout and the old containers keep serving', () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    for (let i = 0; i < 3; i++) {
      // Each replacement waits out its back-off; the tick starts it.
      if (d.containers({ version: 2, state: 'starting' }).length === 0) d.send({ type: 'tick' }, 60_000);
      const next = d.containers({ version: 2, state: 'starting' })[0]!;
      d.send({ type: 'container-exited', containerId: next.id, code: 1, signal: null }, 10);
    }
    expect(d.app().versions[1]!.outcome).toBe('failed');
    expect(d.app().current).toBe(1);
    expect(d.app().failure).toMatchObject({ version: 2 });
    expect(d.readyCapacity()).toBe(3);
    expect(d.containers({ version: 2 })).toHaveLength(0);
  });

  it("a new rollout starts at once, without the back-off an earlier version's crash loop earned", () => {
    const d = deployedAtTarget();
    d.deploy(spec({ image: v2Image }));
    for (let i = 0; i < 3; i++) {
      if (d.containers({ version: 2, state: 'starting' }).length === 0) d.send({ type: 'tick' }, 60_000);
      const next = d.containers({ version: 2, state: 'starting' })[0]!;
      d.send({ type: 'container-exited', containerId: next.id, code: 1, signal: null }, 10);
    }
    expect(d.app().versions[1]!.outcome).toBe('failed');
    // The last failure's back-off (2 s) has not run out, yet v3's first container starts now.
    d.deploy(spec({ image: 'sha256:cccc' }));
    expect(d.containers({ version: 3, state: 'starting' })).toHaveLength(1);
  });

  it('with auto_rollback a rollback version appears by itself, keeping the old containers', () => {
    const d = new Driver();
    d.deploy(spec({ autoRollback: true }));
    d.readyAll();
    const old = d.containers().map((c) => c.id);
    d.deploy(spec({ image: v2Image, autoRollback: true, functions: [fnSpec({ startTimeoutMs: 1000 })] }));
    for (let i = 0; i < 10 && d.app().versions.length < 3; i++) d.send({ type: 'tick' }, 60_000);
    expect(d.app().versions.map((v) => [v.kind, v.outcome])).toEqual([
      ['deploy', 'superseded'],
      ['deploy', 'failed'],
      ['rollback', 'active'],
    ]);
    expect(d.app().versions[2]).toMatchObject({ user: 'cutover (auto-rollback)', rollbackOf: 1 });
    expect(d.containers().map((c) => c.id)).toEqual(old);
  });
});

describe('T1 stop', () => {
  it('answers queued inputs with "app stopped", drains briefly, then terminates', () => {
    const d = deployedAtTarget({ stopDrainMs: 2_000 });
    for (let i = 0; i < 8; i++)
      d.send({ type: 'input-arrived', inputId: `i${i}`, appId: 'shop', function: 'web', method: 'GET' });
    expect(d.app().queued).toBe(2); // 3 containers × concurrency 2 in flight
    const { effects, reply } = d.command({ type: 'stop', app: 'shop', user: 'ops' });
    expect(reply).toMatchObject({ ok: true });
    expect(d.of('answer-error', effects).map((a) => [a.inputId, a.message])).toEqual([
      ['i6', 'app stopped'],
      ['i7', 'app stopped'],
    ]);
    const late = d.send({
      type: 'input-arrived',
      inputId: 'late',
      appId: 'shop',
      function: 'web',
      method: 'GET',
    });
    expect(d.of('answer-error', late)[0]).toMatchObject({ inputId: 'late', error: 'app-stopped' });
    const afterDrain = d.send({ type: 'tick' }, 2_000);
    expect(d.of('terminate', afterDrain)).toHaveLength(3);
    // In-flight inputs of the terminated containers are answered, never dropped.
    expect(d.of('answer-error', afterDrain)).toHaveLength(6);
    expect(d.app().containers.size).toBe(0);
  });

  it('a stopped app is never started again; deploying the name creates a new app', () => {
    const d = deployedAtTarget();
    d.command({ type: 'stop', app: 'shop', user: 'ops' });
    expect(
      d.command({ type: 'rollover', app: 'shop', user: 'x', secretFingerprints: {} }).reply,
    ).toMatchObject({
      ok: false,
      code: 'app-stopped',
    });
    expect(d.deploy(spec())).toMatchObject({ ok: true, version: 1, noop: false });
    expect(d.app().record).toMatchObject({ id: 'shop#2', generation: 2 });
    expect(d.world.apps.get('shop')!.versions).toHaveLength(1);
  });
});

describe('inputs', () => {
  it('a stale report from an abandoned attempt is ignored: each input completes once', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method: 'GET' });
    const first = d.of('route').at(-1)!.containerId;
    // Its container dies: the input is retried on another, and the dead one's late report ignored.
    d.send({ type: 'container-exited', containerId: first, code: null, signal: 'SIGKILL' });
    const second = d.of('route').at(-1)!;
    expect(second.containerId).not.toBe(first);
    expect(second).toMatchObject({ inputId: 'i1', attempt: 2 });
    d.send({ type: 'input-finished', inputId: 'i1', containerId: first });
    expect(d.app().done).toBe(0);
    d.send({ type: 'input-finished', inputId: 'i1', containerId: second.containerId });
    d.send({ type: 'input-finished', inputId: 'i1', containerId: second.containerId });
    expect(d.app().done).toBe(1);
    expect(d.app().inFlight).toBe(0);
  });

  it('gives up after the set number of failed attempts, with a stated error', () => {
    const d = deployedAtTarget({ maxInputAttempts: 2 });
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method: 'GET' });
    d.send({
      type: 'input-failed',
      inputId: 'i1',
      containerId: d.of('route').at(-1)!.containerId,
      reason: 'x',
      unsent: false,
      final: false,
    });
    const last = d.send({
      type: 'input-failed',
      inputId: 'i1',
      containerId: d.of('route').at(-1)!.containerId,
      reason: 'x',
      unsent: false,
      final: false,
    });
    expect(d.of('answer-error', last)[0]).toMatchObject({ inputId: 'i1', error: 'retries-exhausted' });
  });
});

describe('M1 metrics', () => {
  it('records containers by version and state, inputs and latency every second', () => {
    const d = deployedAtTarget();
    d.send({ type: 'tick' }, 1_000);
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method: 'GET' });
    d.send({ type: 'input-finished', inputId: 'i1', containerId: d.of('route').at(-1)!.containerId }, 40);
    d.send({ type: 'input-arrived', inputId: 'i2', appId: 'shop', function: 'web', method: 'GET' });
    const effects = d.send({ type: 'tick' }, 1_000);
    expect(d.of('record-metrics', effects)[0]!.sample).toMatchObject({
      appId: 'shop',
      containers: { '1': { ready: 3 } },
      queued: 0,
      inFlight: 1,
      done: 1,
      failed: 0,
      p50: 40,
    });
  });
});

describe('H1 after a failed rollout', () => {
  it("restores the old version's capacity without waiting out the failed version's back-off", () => {
    const d = deployedAtTarget({ crashLoopLimit: 3, restartBackoffMs: 10_000, restartBackoffMaxMs: 60_000 });
    d.deploy(spec({ image: v2Image }));
    // v2's first container comes up (so one v1 drains), then v2 crash-loops.
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    d.send({ type: 'tick' }, 30_000); // the drained v1 container has gone
    expect(d.containers({ version: 1 }).filter((c) => c.accepting)).toHaveLength(2);
    for (let i = 0; i < 3 && d.app().rollout; i++) {
      if (d.containers({ version: 2, state: 'starting' }).length === 0) d.send({ type: 'tick' }, 60_000);
      const c = d.containers({ version: 2 }).find((x) => x.state !== 'draining')!;
      d.send({ type: 'container-exited', containerId: c.id, code: 1, signal: null });
    }
    expect(d.app().versions[1]!.outcome).toBe('failed');
    // The third v1 container starts in the same step, not after a back-off.
    expect(d.containers({ version: 1, state: 'starting' })).toHaveLength(1);
  });
});

describe('R1 retry', () => {
  /** An input of `method` in flight on a v1 container that v2's rollout then drains. */
  function inFlightAtDrain(method: string, retry?: 'idempotent' | 'unsent' | 'never') {
    const d = new Driver();
    const fn = fnSpec(retry ? { retry } : {});
    d.deploy(spec({ functions: [fn] }));
    d.readyAll();
    d.send({ type: 'input-arrived', inputId: 'i1', appId: 'shop', function: 'web', method });
    const onOld = d.of('route').at(-1)!.containerId;
    d.deploy(spec({ image: v2Image, functions: [fn] }));
    d.readyAll();
    return { d, onOld, cut: d.send({ type: 'tick' }, 30_000) };
  }

  it('R1: a POST cut at the drain timeout is answered with the reason, counted failed, never sent again', () => {
    const { d, onOld, cut } = inFlightAtDrain('POST');
    expect(d.of('terminate', cut).map((t) => t.containerId)).toContain(onOld);
    expect(d.of('route', cut)).toEqual([]);
    const [answer] = d.of('answer-error', cut);
    expect(answer).toMatchObject({ inputId: 'i1', error: 'not-retried' });
    expect(answer!.message).toBe(
      `cut at ${onOld}'s drain timeout (30s); a POST that may have reached the app is not sent again (retry = "idempotent")`,
    );
    expect(d.app()).toMatchObject({ failed: 1, done: 0, inFlight: 0, queued: 0 });
  });

  it('R1: a GET cut at the drain timeout runs again on a new container', () => {
    const { d, onOld, cut } = inFlightAtDrain('GET');
    const retry = d.of('route', cut).find((r) => r.inputId === 'i1');
    expect(retry?.containerId).not.toBe(onOld);
    expect(d.app().containers.get(retry!.containerId)?.version).toBe(2);
    expect(d.of('answer-error')).toEqual([]);
  });

  it('R1: retry = "unsent" and "never" keep even a GET that may have run from running again', () => {
    for (const retry of ['unsent', 'never'] as const) {
      const { d, cut } = inFlightAtDrain('GET', retry);
      expect(d.of('answer-error', cut)[0]).toMatchObject({ inputId: 'i1', error: 'not-retried' });
      expect(d.of('route', cut)).toEqual([]);
    }
  });

  it('R1: a POST refused before it reached the app is sent again; one reset after it may have is not', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'p1', appId: 'shop', function: 'web', method: 'POST' });
    const first = d.of('route').at(-1)!;
    const refused = d.send({
      type: 'input-failed',
      inputId: 'p1',
      containerId: first.containerId,
      reason: 'ECONNREFUSED',
      unsent: true,
      final: false,
    });
    const second = d.of('route', refused)[0]!;
    expect(second).toMatchObject({ inputId: 'p1', attempt: 2 });
    const reset = d.send({
      type: 'input-failed',
      inputId: 'p1',
      containerId: second.containerId,
      reason: 'ECONNRESET',
      unsent: false,
      final: false,
    });
    expect(d.of('route', reset)).toEqual([]);
    expect(d.of('answer-error', reset)[0]).toMatchObject({ inputId: 'p1', error: 'not-retried' });
  });

  it('R1: an attempt the proxy cannot send again (its body streamed) fails even for a PUT', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'u1', appId: 'shop', function: 'web', method: 'PUT' });
    const effects = d.send({
      type: 'input-failed',
      inputId: 'u1',
      containerId: d.of('route').at(-1)!.containerId,
      reason: 'upstream timed out',
      unsent: false,
      final: true,
    });
    expect(d.of('answer-error', effects)[0]).toMatchObject({
      error: 'not-retried',
      message: 'upstream timed out; it cannot be sent again',
    });
  });

  it('R1: a recreate answers the POSTs in flight on the old containers and retries the GETs', () => {
    const d = deployedAtTarget();
    d.send({ type: 'input-arrived', inputId: 'g1', appId: 'shop', function: 'web', method: 'GET' });
    d.send({ type: 'input-arrived', inputId: 'p1', appId: 'shop', function: 'web', method: 'POST' });
    const { effects } = d.command({
      type: 'deploy',
      app: 'shop',
      user: 'bob',
      spec: spec({ image: v2Image }),
      strategy: 'recreate',
      secretFingerprints: {},
    });
    const started = d.send({ type: 'build-finished', buildId: d.of('build-image', effects)[0]!.buildId });
    expect(d.of('answer-error', started).map((a) => [a.inputId, a.error])).toEqual([['p1', 'not-retried']]);
    expect(d.app().queued).toBe(1);
    const routed = d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    expect(d.of('route', routed).map((r) => r.inputId)).toEqual(['g1']);
  });
});

describe('Q1 bounds', () => {
  /** One container with one slot, busy: everything else queues. */
  function busy(limits: Partial<ReturnType<typeof fnSpec>>): Driver {
    const d = new Driver();
    d.deploy(spec({ functions: [fnSpec({ containers: 1, concurrency: 1, ...limits })] }));
    d.readyAll();
    d.send({ type: 'input-arrived', inputId: 'busy', appId: 'shop', function: 'web', method: 'GET' });
    return d;
  }

  it('Q1: a queue at max_queue answers at once with the reason; nothing queued is lost', () => {
    const d = busy({ maxQueue: 2 });
    for (const id of ['q1', 'q2'])
      d.send({ type: 'input-arrived', inputId: id, appId: 'shop', function: 'web', method: 'GET' });
    const refused = d.send({
      type: 'input-arrived',
      inputId: 'q3',
      appId: 'shop',
      function: 'web',
      method: 'GET',
    });
    expect(d.of('answer-error', refused)).toEqual([
      {
        type: 'answer-error',
        inputId: 'q3',
        error: 'queue-full',
        message: '2 inputs already wait for web (max_queue = 2)',
      },
    ]);
    expect(d.app()).toMatchObject({ queued: 2, failed: 1 });
    const container = d.of('route').at(-1)!.containerId;
    d.send({ type: 'input-finished', inputId: 'busy', containerId: container });
    expect(d.of('route').at(-1)).toMatchObject({ inputId: 'q1' });
  });

  it('Q1: an input queued for queue_timeout is answered 503 with the reason', () => {
    const d = busy({ queueTimeoutMs: 5_000 });
    d.send({ type: 'input-arrived', inputId: 'old', appId: 'shop', function: 'web', method: 'GET' });
    d.send({ type: 'input-arrived', inputId: 'new', appId: 'shop', function: 'web', method: 'GET' }, 3_000);
    expect(d.of('answer-error', d.send({ type: 'tick' }, 1_000))).toEqual([]);
    const expired = d.send({ type: 'tick' }, 1_000);
    expect(d.of('answer-error', expired)).toEqual([
      {
        type: 'answer-error',
        inputId: 'old',
        error: 'queue-timeout',
        message: 'waited 5s for a container of web (queue_timeout = 5s)',
      },
    ]);
    expect(d.app()).toMatchObject({ queued: 1, failed: 1 });
  });

  it('Q1: an input whose client left while queued is cancelled: never routed, neither done nor failed', () => {
    const d = busy({});
    d.send({ type: 'input-arrived', inputId: 'gone', appId: 'shop', function: 'web', method: 'POST' });
    d.send({ type: 'input-arrived', inputId: 'stays', appId: 'shop', function: 'web', method: 'GET' });
    d.send({ type: 'input-cancelled', inputId: 'gone' });
    expect(d.app()).toMatchObject({ queued: 1, cancelled: 1, done: 0, failed: 0 });
    const container = d.of('route').at(-1)!.containerId;
    const next = d.send({ type: 'input-finished', inputId: 'busy', containerId: container });
    expect(d.of('route', next).map((r) => r.inputId)).toEqual(['stays']);
    // A cancel for an input already in flight changes nothing: its attempt is reported as usual.
    d.send({ type: 'input-cancelled', inputId: 'stays' });
    d.send({ type: 'input-finished', inputId: 'stays', containerId: container });
    expect(d.app()).toMatchObject({ queued: 0, inFlight: 0, cancelled: 1, done: 2, failed: 0 });
  });
});

describe('H1 settle window (min_ready)', () => {
  it('H1: a new container replaces an old one only after min_ready; the rollout stays rolling until then', () => {
    const d = new Driver();
    d.deploy(spec({ functions: [fnSpec({ minReadyMs: 5_000 })] }));
    d.readyAll();
    d.send({ type: 'tick' }, 5_000);
    expect(d.app().current).toBe(1);
    d.deploy(spec({ image: v2Image, functions: [fnSpec({ minReadyMs: 5_000 })] }));
    d.send({ type: 'container-ready', containerId: d.containers({ version: 2 })[0]!.id });
    // An old container with nothing in flight leaves as soon as it drains.
    const oldServing = () => d.containers({ version: 1 }).filter((c) => c.accepting).length;
    expect(oldServing()).toBe(3);
    d.send({ type: 'tick' }, 4_000);
    expect(oldServing()).toBe(3);
    d.send({ type: 'tick' }, 1_000);
    expect(oldServing()).toBe(2);
    for (let i = 0; i < 20 && d.app().rollout; i++) {
      d.readyAll();
      d.send({ type: 'tick' }, 2_500);
    }
    expect(d.app().versions.map((v) => v.outcome)).toEqual(['superseded', 'active']);
  });

  /** v2's containers become ready, then exit within the window, three times. */
  function crashAfterReady(autoRollback: boolean): Driver {
    const fn = fnSpec({ minReadyMs: 5_000 });
    const d = new Driver();
    d.deploy(spec({ functions: [fn], autoRollback }));
    d.readyAll();
    d.send({ type: 'tick' }, 5_000);
    d.deploy(spec({ image: v2Image, functions: [fn], autoRollback }));
    for (let i = 0; i < 3 && d.app().versions[1]!.outcome === 'rolling'; i++) {
      if (d.containers({ version: 2, state: 'starting' }).length === 0) d.send({ type: 'tick' }, 60_000);
      const c = d.containers({ version: 2, state: 'starting' })[0]!;
      d.send({ type: 'container-ready', containerId: c.id }, 100);
      expect(d.app().versions[1]!.outcome).toBe('rolling');
      d.send({ type: 'container-exited', containerId: c.id, code: 1, signal: null }, 1_000);
    }
    return d;
  }

  it('H1: crashes after ready but inside min_ready fail the rollout; the old containers never stopped', () => {
    const d = crashAfterReady(false);
    expect(d.app().versions.map((v) => v.outcome)).toEqual(['active', 'failed']);
    expect(d.app().failure?.reason).toMatch(/web containers failed 3 times \(last: exited \(code 1\)\)/);
    expect(d.containers({ version: 1, state: 'ready' })).toHaveLength(3);
  });

  it('H1: with auto_rollback the crash-after-ready version is rolled back, the reason in the event', () => {
    const d = crashAfterReady(true);
    expect(d.app().versions.map((v) => [v.kind, v.outcome])).toEqual([
      ['deploy', 'superseded'],
      ['deploy', 'failed'],
      ['rollback', 'active'],
    ]);
    const failed = d.app().recentEvents.find((e) => e.kind === 'rollout-failed');
    expect(failed?.message).toMatch(/^v2 failed: web containers failed 3 times/);
    expect(d.app().recentEvents.some((e) => e.kind === 'auto-rollback')).toBe(true);
  });
});

describe('H1 a rollback never rolls itself back', () => {
  /** Every container that starts exits at once: the version it runs is broken. */
  function crashEverything(d: Driver, ticks: number): number {
    let starts = 0;
    for (let i = 0; i < ticks; i++) {
      for (const c of d.containers({ state: 'starting' })) {
        d.send({ type: 'container-exited', containerId: c.id, code: 1, signal: null }, 10);
      }
      starts += d.of('start-container', d.send({ type: 'tick' }, 1_000)).length;
    }
    return starts;
  }

  it('an unstable old version: one auto-rollback that fails, no rollback of the rollback, no restart storm', () => {
    const d = new Driver({ crashLoopLimit: 3, restartBackoffMs: 500, restartBackoffMaxMs: 30_000 });
    d.deploy(spec({ autoRollback: true }));
    d.readyAll();
    d.deploy(spec({ image: v2Image, autoRollback: true }));
    // v1 turns out unstable too: its ready containers exit while v2 crash-loops.
    for (const c of d.containers({ version: 1 }))
      d.send({ type: 'container-exited', containerId: c.id, code: 1, signal: null }, 10);
    const starts = crashEverything(d, 600); // ten minutes of ticks

    expect(d.app().versions.map((v) => [v.number, v.kind, v.outcome])).toEqual([
      [1, 'deploy', 'active'],
      [2, 'deploy', 'failed'],
      [3, 'rollback', 'failed'],
    ]);
    // H1's back-off holds: at most the 3 containers every 30 s once it has doubled up from 0.5 s,
    // about 80 starts in ten minutes, not thousands.
    expect(starts).toBeLessThan(90);
  });

  it("back-off is kept per template: a new rollout does not reset a crashing template's back-off", () => {
    const d = deployedAtTarget({ crashLoopLimit: 3, restartBackoffMs: 10_000, restartBackoffMaxMs: 60_000 });
    d.deploy(spec({ image: v2Image }));
    for (let i = 0; i < 3 && d.app().rollout; i++) {
      if (d.containers({ version: 2, state: 'starting' }).length === 0) d.send({ type: 'tick' }, 60_000);
      const next = d.containers({ version: 2, state: 'starting' })[0]!;
      d.send({ type: 'container-exited', containerId: next.id, code: 1, signal: null }, 10);
    }
    expect(d.app().versions[1]!.outcome).toBe('failed');
    // Rolling back to the version that just crash-looped: it waits out its template's back-off.
    const { reply } = d.command({
      type: 'rollback',
      app: 'shop',
      to: 2,
      user: 'bob',
      secretFingerprints: {},
    });
    expect(reply).toMatchObject({ ok: true, version: 3, rollbackOf: 2 });
    expect(d.containers({ version: 3 })).toHaveLength(0);
    expect(d.of('start-container', d.send({ type: 'tick' }, 5_000))).toHaveLength(0);
    // A different template (a fresh deploy) starts at once.
    d.deploy(spec({ image: 'sha256:dddd' }));
    expect(d.containers({ version: 4, state: 'starting' })).toHaveLength(1);
  });
});

describe('H1 timeouts on the engine clock', () => {
  it('a wall-clock step moves what is recorded, never a start timeout', () => {
    const d = new Driver();
    d.deploy(spec({ functions: [fnSpec({ startTimeoutMs: 10_000 })] }));
    const starting = d.containers({ state: 'starting' });
    const stepped = d.now + 2 * 3600_000; // NTP: two hours forward; the engine clock moves 1 s
    const effects = d.send({ type: 'tick', wall: stepped + 1_000 }, 1_000);
    expect(d.containers({ state: 'starting' })).toEqual(starting);
    expect(effects.filter((e) => e.type === 'terminate')).toEqual([]);
    // Records carry the wall time.
    d.readyAll();
    const { effects: rolled } = d.command({
      type: 'rollover',
      app: 'shop',
      user: 'bob',
      secretFingerprints: {},
      wall: stepped + 5_000,
    });
    const version = rolled.find((e) => e.type === 'record-version');
    expect(version?.type === 'record-version' && version.version.createdAt).toBe(stepped + 5_000);
  });
});
