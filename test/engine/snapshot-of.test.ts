// What the local platform's Snapshot carries for the screen, straight from the engine's state.
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/engine/snapshot-of.ts';
import { Driver, spec } from './driver.ts';

const image = (c: string) => `sha256:${c.repeat(64)}`;

/** v1 active, v2 deployed and active: the app as most rollbacks find it. */
function twoVersions(): Driver {
  const d = new Driver();
  d.deploy(spec({ image: image('a') }));
  d.readyAll();
  d.deploy(spec({ image: image('b') }));
  d.readyAll();
  return d;
}

const snap = (d: Driver) => snapshotOf(d.world, 'shop', { platform: 'local', urls: {} })!;

describe('B1 the rollback default, carried in the Snapshot', () => {
  it('steady at v2: the previous version, v1', () => {
    expect(snap(twoVersions()).rollbackTarget).toBe(1);
  });

  it('during a rollback v3 → v1: v1 again (the same press), never v2, the version being left', () => {
    const d = twoVersions();
    d.command({ type: 'rollback', app: 'shop', user: 'ana', secretFingerprints: {} });
    const s = snap(d);
    expect(s.rollout).toMatchObject({ from: 2, to: 3, kind: 'rollback' });
    expect(s.rollbackTarget).toBe(1);
    // What the engine does with no number is what the Snapshot said it would do.
    const { reply } = d.command({ type: 'rollback', app: 'shop', user: 'bo', secretFingerprints: {} });
    expect(reply).toMatchObject({ ok: true, noop: true, rollbackOf: 1 });
  });

  it('during a first rolling deploy of v3: v2, the version still active', () => {
    const d = twoVersions();
    d.deploy(spec({ image: image('c') }));
    expect(snap(d).rollbackTarget).toBe(2);
  });

  it('a version that never went active says so; one that did says when', () => {
    const d = twoVersions();
    d.deploy(spec({ image: image('c') }));
    const [v3, v2] = snap(d).history;
    expect(v3).toMatchObject({ version: 3, outcome: 'rolling', activatedAt: null });
    expect(v2!.activatedAt).toEqual(expect.any(Number));
  });
});

describe('what a rollout runs', () => {
  it('a rollover pressed mid-rollout runs the spec being rolled out, and says whose', () => {
    const d = twoVersions();
    d.deploy(spec({ image: image('c') }));
    d.command({ type: 'rollover', app: 'shop', user: 'ana', secretFingerprints: {} });
    expect(snap(d).rollout).toMatchObject({ from: 2, to: 4, kind: 'rollover', specOf: 3 });
  });

  it('a rollback runs its target, and says so', () => {
    const d = twoVersions();
    d.command({ type: 'rollback', app: 'shop', user: 'ana', secretFingerprints: {} });
    expect(snap(d).rollout).toMatchObject({ to: 3, kind: 'rollback', specOf: 1 });
  });
});

describe('H1 containers as the screen lists them', () => {
  it('a crash-looping function shows its last failed container with why, and how many times in a row', () => {
    const d = twoVersions();
    d.deploy(spec({ image: image('c') }));
    const probes: Record<string, string> = {};
    for (let i = 0; i < 2; i++) {
      const [starting] = d.containers({ version: 3, state: 'starting' });
      probes[starting!.id] = 'HTTP 503 from /healthz';
      d.send({ type: 'container-exited', containerId: starting!.id, code: 3, signal: null }, 10);
      d.send({ type: 'tick' }, 5_000); // the back-off ends: a replacement starts
    }
    const s = snapshotOf(d.world, 'shop', { platform: 'local', urls: {}, probe: (id) => probes[id] })!;
    const failed = s.containers.filter((c) => c.state === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        function: 'web',
        version: 3,
        reason: 'exited (code 3); last probe: HTTP 503 from /healthz',
        restarts: 2,
        startedAt: null,
      }),
    ]);
    const replacement = s.containers.find((c) => c.version === 3 && c.state === 'starting');
    expect(replacement).toMatchObject({ restarts: 2 });
    expect(s.containers.filter((c) => c.version === 2).every((c) => c.restarts === 0)).toBe(true);
  });

  it('a failed rollout names the container whose failure decided it', () => {
    const d = twoVersions();
    d.deploy(spec({ image: image('c') }));
    let last = '';
    for (let i = 0; i < 3; i++) {
      const [starting] = d.containers({ version: 3, state: 'starting' });
      last = starting!.id;
      d.send({ type: 'container-exited', containerId: last, code: 1, signal: null }, 10);
      d.send({ type: 'tick' }, 5_000);
    }
    const s = snapshotOf(d.world, 'shop', {
      platform: 'local',
      urls: {},
      probe: () => 'connection refused',
    })!;
    expect(s.failed).toMatchObject({ version: 3, container: last, probe: 'connection refused' });
  });

  it('each version says what it runs (never a secret value) and its start timeout per function', () => {
    const d = twoVersions();
    const s = snap(d);
    expect(s.history[0]!.spec).toMatchObject({
      image: image('b'),
      functions: [{ name: 'web', containers: 3, concurrency: 2 }],
      env: {},
      secrets: {},
    });
    expect(s.functions[0]!.startTimeoutMs).toBe(60_000);
  });
});
