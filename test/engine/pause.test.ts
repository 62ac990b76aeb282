// P1 pause, scripted on a simulated clock: a paused rolling rollout starts no new container and
// drains no old one, inputs keep flowing, S1's floor holds, resume carries on, C1 supersedes it.
import { describe, expect, it } from 'vitest';
import { Driver, spec } from './driver.ts';

const image = (c: string) => `sha256:${c.repeat(64)}`;

/** v1 at its 3 ready containers; v2 rolling, its first container ready (one v1 draining). */
function midRollout(): Driver {
  const d = new Driver();
  d.deploy(spec({ image: image('a') }));
  d.readyAll();
  d.deploy(spec({ image: image('b') }));
  const [first] = d.containers({ version: 2, state: 'starting' });
  d.send({ type: 'container-ready', containerId: first!.id }, 10);
  return d;
}

const pause = (d: Driver, user = 'ana') => d.command({ type: 'pause', app: 'shop', user }).reply;
const resume = (d: Driver) => d.command({ type: 'resume', app: 'shop', user: 'ana' }).reply;

describe('P1 pause', () => {
  it('a paused rollout starts nothing and drains nothing, however long it waits and whatever becomes ready', () => {
    const d = midRollout();
    const before = d.containers().map((c) => `${c.id}:${c.state}`);
    expect(pause(d)).toMatchObject({ ok: true, noop: false });
    const from = d.effects.length;
    for (const c of d.containers({ state: 'starting' }))
      d.send({ type: 'container-ready', containerId: c.id }, 10);
    for (let i = 0; i < 20; i++) d.send({ type: 'tick' }, 1_000);
    const after = d.effects.slice(from);
    expect(d.of('start-container', after)).toEqual([]);
    expect(d.of('stop-inputs', after)).toEqual([]);
    expect(d.app().rollout).toMatchObject({ to: 2 });
    // Nothing was replaced: the same containers, the starting one now ready.
    expect(
      d
        .containers()
        .map((c) => c.id)
        .sort(),
    ).toEqual(before.map((b) => b.split(':')[0]).sort());
  });

  it('S1: inputs keep flowing to whatever is ready, and ready capacity stays at the target', () => {
    const d = midRollout();
    pause(d);
    expect(d.readyCapacity()).toBeGreaterThanOrEqual(3);
    const routed = d.send({
      type: 'input-arrived',
      inputId: 'i1',
      appId: 'shop',
      function: 'web',
      method: 'GET',
    });
    expect(d.of('route', routed)).toHaveLength(1);
  });

  it('resume carries on where it stopped, to the end', () => {
    const d = midRollout();
    pause(d);
    d.send({ type: 'tick' }, 5_000);
    expect(resume(d)).toMatchObject({ ok: true, noop: false });
    d.readyAll();
    for (let i = 0; i < 5; i++) d.send({ type: 'tick' }, 1_000);
    expect(d.app().current).toBe(2);
    expect(d.app().rollout).toBeNull();
    expect(d.containers().every((c) => c.version === 2 && c.state === 'ready')).toBe(true);
  });

  it('C1: a rollback while paused supersedes the paused rollout, which stays superseded', () => {
    const d = midRollout();
    pause(d);
    const { reply } = d.command({ type: 'rollback', app: 'shop', user: 'bo', secretFingerprints: {} });
    expect(reply).toMatchObject({ ok: true, version: 3, rollbackOf: 1 });
    expect(d.app().versions[1]!.outcome).toBe('superseded');
    expect(d.app().rollout).toMatchObject({ to: 3 });
    expect(d.app().rollout!.paused ?? null).toBeNull();
  });

  it('refuses what it cannot pause, says when there is nothing to resume', () => {
    const steady = new Driver();
    steady.deploy(spec());
    steady.readyAll();
    expect(pause(steady)).toMatchObject({ ok: false, code: 'no-rollout' });
    expect(resume(steady)).toMatchObject({ ok: true, noop: true });
    const recreating = new Driver();
    recreating.deploy(spec());
    recreating.readyAll();
    recreating.deploy(spec({ image: image('c') }), 'ana', 'recreate');
    expect(pause(recreating)).toMatchObject({ ok: false, code: 'no-rollout' });
    const d = midRollout();
    pause(d);
    expect(pause(d, 'bo')).toMatchObject({ ok: true, noop: true });
  });

  it('a crashed new container is replaced, up to the count the paused rollout had (H1)', () => {
    const d = midRollout();
    pause(d);
    const counts = d.containers({ version: 2 }).length;
    const [starting] = d.containers({ version: 2, state: 'starting' });
    d.send({ type: 'container-exited', containerId: starting!.id, code: 1, signal: null }, 10);
    d.send({ type: 'tick' }, 5_000);
    expect(d.containers({ version: 2 })).toHaveLength(counts);
  });
});
