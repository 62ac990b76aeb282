// Issue 3: rollouts on the real local platform under a steady load: real processes, real HTTP
// through the proxy, a real database file. Each test has its own CUTOVER_HOME and app copy.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { failed, type Sample, startLoad, summarize } from './load.ts';
import { containerProcesses, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

/** Deploys v1 and returns its proxy URL once it is active. */
async function deployV1(b: Sandbox): Promise<string> {
  await b.ok(['deploy', b.appDir]);
  const url = (await b.status()).functions[0]?.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return url!;
}

function versions(samples: Sample[]): number[] {
  return [...new Set(samples.map((s) => s.body?.version ?? -1))].sort((a, b) => a - b);
}

describe('rollouts under load (local platform)', () => {
  it('S1 rolling deploy under 250 requests/s: no request fails; v1 answers before, v2 after', async () => {
    box = sandbox({ containers: 2 });
    const url = await deployV1(box);
    const load = startLoad(url, { rate: 250, concurrency: 10, durationMs: 45_000 });
    await waitFor('v1 answers', () => load.samples.length >= 200);

    box.message('hello from v2');
    const deployStart = Date.now();
    const deployed = await box.ok(['deploy', box.appDir, '--json']);
    const deployEnd = Date.now();
    expect(deployed.json()).toMatchObject({ app: 'shop', version: 2, noop: false, outcome: 'active' });
    await waitFor('v2 answers', () => load.samples.filter((s) => s.start > deployEnd).length >= 200);
    const samples = await load.stop();

    const summary = summarize(samples);
    console.log(`S1 rolling: ${JSON.stringify(summary)}`);
    expect(summary.firstFailures).toEqual([]);
    expect(samples.filter(failed)).toHaveLength(0);
    const before = samples.filter((s) => s.end < deployStart);
    const after = samples.filter((s) => s.start > deployEnd);
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(versions(before)).toEqual([1]);
    expect(versions(after)).toEqual([2]);
    expect(new Set(after.map((s) => s.body?.message))).toEqual(new Set(['hello from v2']));
    // Both versions served while the load ran, and v2's containers are the only ones left.
    const status = await box.status();
    expect(status.version).toBe(2);
    expect(status.containers.map((c) => [c.version, c.state])).toEqual([
      [2, 'ready'],
      [2, 'ready'],
    ]);
  });

  it('S2 recreate under the same load: no request fails (they wait in the queue)', async () => {
    box = sandbox({ containers: 2 });
    const url = await deployV1(box);
    const load = startLoad(url, { rate: 250, concurrency: 10, durationMs: 45_000 });
    await waitFor('v1 answers', () => load.samples.length >= 200);

    box.message('hello from v2');
    const deployStart = Date.now();
    await box.ok(['deploy', box.appDir, '--strategy', 'recreate']);
    const deployEnd = Date.now();
    await waitFor('v2 answers', () => load.samples.filter((s) => s.start > deployEnd).length >= 200);
    const samples = await load.stop();

    const summary = summarize(samples);
    const during = samples.filter((s) => s.end >= deployStart && s.start <= deployEnd);
    const longestWait = during.reduce((m, s) => Math.max(m, s.end - s.start), 0);
    console.log(`S2 recreate: longest wait during the rollout ${longestWait} ms; ${JSON.stringify(summary)}`);
    expect(summary.firstFailures).toEqual([]);
    expect(versions(samples.filter((s) => s.end < deployStart))).toEqual([1]);
    expect(versions(samples.filter((s) => s.start > deployEnd))).toEqual([2]);
    const [latest] = await box.history();
    expect(latest).toMatchObject({ version: 2, strategy: 'recreate', outcome: 'active' });
  });

  it('B1 rollback in the middle of a rolling deploy keeps the v1 containers still serving, runs the stored image', async () => {
    // No settle window: a v1 container drains the moment a v2 one is ready, as this test expects.
    box = sandbox({ containers: 3, minReady: '0s' });
    const url = await deployV1(box);
    const v1Ids = (await box.status()).containers.map((c) => c.id);
    expect(v1Ids).toHaveLength(3);
    const load = startLoad(url, { rate: 250, concurrency: 10, durationMs: 60_000 });
    await waitFor('v1 answers', () => load.samples.length >= 100);

    // v2 starts slowly, so the rollout is caught with one v2 container ready and v1 still serving.
    box.message('hello from v2');
    box.manifest({ containers: 3, minReady: '0s', env: { COLD_START_MS: '4000' } });
    const detached = await box.ok(['deploy', box.appDir, '--detach', '--json']);
    expect(detached.json()).toEqual({ app: 'shop', version: 2, noop: false });
    const mid = await waitFor(
      'one v2 container ready',
      async () => {
        const s = await box!.status();
        return s.containers.some((c) => c.version === 2 && c.state === 'ready') ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(mid.rollout).toMatchObject({ from: 1, to: 2 });
    const serving = mid.containers.filter((c) => c.version === 1 && c.state === 'ready').map((c) => c.id);
    expect(serving.length).toBeGreaterThan(0);
    const servingPids = containerProcesses(box.home);

    // B1: the rollback never reads the working directory.
    box.message('hello from the working directory, never deployed');
    const rolledBack = await box.ok(['rollback', 'shop', '--json']);
    const rollbackEnd = Date.now();
    expect(rolledBack.json()).toMatchObject({ app: 'shop', version: 3, rollbackOf: 1, outcome: 'active' });
    const after = await box.status();
    expect(after.version).toBe(3);
    expect(after.rollout).toBeNull();
    const afterIds = after.containers.map((c) => c.id);
    const seen = JSON.stringify({ mid: mid.containers, after: after.containers });
    for (const id of serving) expect(afterIds, seen).toContain(id);
    // Kept, not restarted: the same processes.
    const afterPids = containerProcesses(box.home);
    for (const id of serving) expect(afterPids.get(id), id).toBe(servingPids.get(id));
    expect(after.containers.every((c) => c.state === 'ready')).toBe(true);
    expect(after.containers.some((c) => c.version === 2)).toBe(false);

    await waitFor('answers after the rollback', () =>
      load.samples.filter((s) => s.start > rollbackEnd).length >= 200 ? true : undefined,
    );
    const samples = await load.stop();
    const summary = summarize(samples);
    console.log(`B1 rollback mid-rollout: kept ${serving.join(', ')}; ${JSON.stringify(summary)}`);
    expect(summary.firstFailures).toEqual([]);
    const afterRollback = samples.filter((s) => s.start > rollbackEnd);
    expect(new Set(afterRollback.map((s) => s.body?.message))).toEqual(new Set(['hello from v1']));
    // v1's draining container was replaced by one started from v1's stored image, not the directory.
    const fresh = afterIds.filter((id) => !serving.includes(id));
    expect(fresh.length).toBeGreaterThan(0);
    for (const id of fresh) expect(v1Ids).not.toContain(id);
    const fromFresh = afterRollback.filter((s) => fresh.includes(s.body?.container ?? ''));
    expect(fromFresh.length).toBeGreaterThan(0);
    expect(new Set(fromFresh.map((s) => s.body?.message))).toEqual(new Set(['hello from v1']));
    const history = await box.history();
    expect(history.map((h) => [h.version, h.kind, h.outcome, h.rollbackOf])).toEqual([
      [3, 'rollback', 'active', 1],
      [2, 'deploy', 'superseded', null],
      [1, 'deploy', 'superseded', null],
    ]);
    expect(history[0]!.image).toBe(history[2]!.image);
    expect(history[0]!.specHash).toBe(history[2]!.specHash);
  });

  it('H1 a version that never becomes ready: the rollout fails, v1 keeps serving; auto_rollback rolls back by itself', async () => {
    box = sandbox({ containers: 2, startTimeout: '1s' });
    const url = await deployV1(box);
    const load = startLoad(url, { rate: 100, concurrency: 4, durationMs: 90_000 });

    box.manifest({ containers: 2, startTimeout: '1s', env: { HEALTHY: 'no' } });
    const deploy = await box.run(['deploy', box.appDir]);
    expect(deploy.code, deploy.stderr + deploy.stdout).toBe(1);
    expect(deploy.stdout).toMatch(/v2 failed/);
    let history = await box.history();
    expect(history.map((h) => [h.version, h.outcome])).toEqual([
      [2, 'failed'],
      [1, 'active'],
    ]);
    let status = await box.status();
    expect(status.version).toBe(1);
    expect(status.rollout).toBeNull();
    expect(status.containers.map((c) => [c.version, c.state])).toEqual([
      [1, 'ready'],
      [1, 'ready'],
    ]);

    // With auto_rollback the app rolls itself back to the version that last served.
    box.manifest({ containers: 2, startTimeout: '1s', autoRollback: true, env: { HEALTHY: 'no' } });
    const again = await box.run(['deploy', box.appDir]);
    expect(again.code, again.stderr + again.stdout).toBe(1);
    const rollback = await waitFor('an automatic rollback', async () => {
      const h = await box!.history();
      return h.find((v) => v.kind === 'rollback');
    });
    expect(rollback).toMatchObject({ version: 4, kind: 'rollback', user: 'cutover (auto-rollback)' });
    await box.ok(['wait', 'shop', '--timeout', '60s']);
    history = await box.history();
    expect(history.map((h) => [h.version, h.kind, h.outcome])).toEqual([
      [4, 'rollback', 'active'],
      [3, 'deploy', 'failed'],
      [2, 'deploy', 'failed'],
      [1, 'deploy', 'superseded'],
    ]);
    status = await box.status();
    expect(status.version).toBe(4);

    const samples = await load.stop();
    const summary = summarize(samples);
    console.log(`H1 never ready: ${JSON.stringify(summary)}`);
    expect(summary.firstFailures).toEqual([]);
    expect(samples.every((s) => s.body?.version === 1 || s.body?.version === 4)).toBe(true);
  });
});
