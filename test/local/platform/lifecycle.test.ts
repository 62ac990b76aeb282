// Issue 3: an app's life on the real local platform: stop (T1), the daemon killed mid-rollout,
// and the small commands around them (wait, logs, stop's confirmation).
import { afterEach, describe, expect, it } from 'vitest';
import { firstLine, waitFor } from './cli.ts';
import { startLoad, summarize } from './load.ts';
import { containerProcesses, type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

/** One GET through the proxy, with a fresh connection. */
async function get(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { connection: 'close' } });
  return { status: res.status, body: await res.json() };
}

describe('app lifecycle (local platform)', () => {
  it('T1 stop: 503 "app stopped", nothing left running; the name deploys as a new app, the old history stays', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.status();
    const url = before.functions[0]!.url!;
    const pids = containerProcesses(box.home);
    expect([...pids.keys()].sort()).toEqual(before.containers.map((c) => c.id).sort());
    const load = startLoad(url, { rate: 100, concurrency: 4, durationMs: 30_000 });
    await waitFor('answers', () => load.samples.length >= 50);

    const stopped = await box.run(['stop', 'shop', '--yes', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.json()).toEqual({ app: 'shop', stopped: true, version: 1 });
    const stopEnd = Date.now();
    await waitFor('answers after the stop', () => load.samples.filter((s) => s.start > stopEnd).length >= 50);
    const samples = await load.stop();
    console.log(`T1 stop: ${JSON.stringify(summarize(samples))}`);
    // Every request got an answer: the app's, or a clear "app stopped" (never a reset or a 502).
    for (const s of samples) {
      if (s.status !== 200) expect(s).toMatchObject({ status: 503, body: { error: 'app stopped' } });
    }
    for (const s of samples.filter((x) => x.start > stopEnd))
      expect(s).toMatchObject({ status: 503, body: { error: 'app stopped', code: 'app-stopped' } });
    expect(await get(url)).toEqual({ status: 503, body: { error: 'app stopped', code: 'app-stopped' } });

    // Nothing of it runs any more: neither the pids seen before nor any process of its image.
    await waitFor('the containers to exit', () =>
      [...pids.values()].every((pid) => !processAlive(pid)) && containerProcesses(box!.home).size === 0
        ? true
        : undefined,
    );
    const after = await box.status();
    expect(after).toMatchObject({ appId: 'shop', status: 'stopped', rollout: null, containers: [] });

    // T1: the name deploys as a new app, at v1 again; the stopped one keeps its history.
    box.message('hello from the second shop');
    const redeployed = await box.ok(['deploy', box.appDir, '--json']);
    expect(redeployed.json()).toMatchObject({ app: 'shop', version: 1, noop: false, outcome: 'active' });
    expect((await box.ok(['apps', '--json'])).json()).toEqual([
      { app: 'shop', appId: 'shop', status: 'stopped', version: 1 },
      { app: 'shop', appId: 'shop#2', status: 'deployed', version: 1 },
    ]);
    const current = await box.status('shop');
    expect(current).toMatchObject({ appId: 'shop#2', status: 'deployed', version: 1, rollout: null });
    expect(current.containers).toHaveLength(2);
    for (const c of current.containers) expect(before.containers.map((b) => b.id)).not.toContain(c.id);
    expect(await box.status('shop#2')).toMatchObject({ appId: 'shop#2', status: 'deployed' });
    expect(await box.status('shop#1')).toMatchObject({ appId: 'shop', status: 'stopped' });
    const oldHistory = await box.history('shop#1');
    const newHistory = await box.history('shop');
    expect(oldHistory.map((h) => [h.version, h.outcome])).toEqual([[1, 'active']]);
    expect(newHistory.map((h) => [h.version, h.outcome])).toEqual([[1, 'active']]);
    expect(newHistory[0]!.image).not.toBe(oldHistory[0]!.image);
    const served = await get((await box.status()).functions[0]!.url!);
    expect(served).toMatchObject({
      status: 200,
      body: { version: 1, message: 'hello from the second shop' },
    });
    // The watch screen's feed follows the app named: the stopped one, or the new one.
    const watchedOld = JSON.parse(await firstLine(box.home, ['watch', 'shop#1', '--json']));
    expect(watchedOld).toMatchObject({ appId: 'shop', status: 'stopped' });
    const watchedNew = JSON.parse(await firstLine(box.home, ['watch', 'shop', '--json']));
    expect(watchedNew).toMatchObject({ appId: 'shop#2', status: 'deployed' });
    // The stopped one stays stopped: `wait` says so (exit 1).
    expect((await box.run(['wait', 'shop#1'])).code).toBe(1);
  });

  it('stop without --yes and without a terminal refuses (exit 2) and changes nothing', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.status();
    const refused = await box.run(['stop', 'shop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to stop shop without --yes/);
    const after = await box.status();
    expect(after).toEqual(before);
    expect(containerProcesses(box.home).size).toBe(2);
  });

  it('wait exits 0 when the app is active; logs shows what its containers printed', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir, '--detach']);
    const waited = await box.run(['wait', 'shop', '--timeout', '30s']);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toMatch(/shop v1 active/);
    // Already active: it returns at once, still 0.
    expect((await box.run(['wait', 'shop'])).code).toBe(0);

    const ids = (await box.status()).containers.map((c) => c.id);
    const logs = await waitFor('both containers in the logs', async () => {
      const r = await box!.ok(['logs', 'shop']);
      return ids.every((id) => r.stdout.includes(`[${id}] fixture ${id} of v1 listening on`)) ? r : undefined;
    });
    expect(logs.stdout).toContain('hello from v1');
    const one = await box.ok(['logs', 'shop', '--container', ids[0]!]);
    expect(one.stdout).toContain(`[${ids[0]}] `);
    expect(one.stdout).not.toContain(`[${ids[1]}] `);
    const unknown = await box.run(['logs', 'shop', '--container', 'shop-web-999']);
    expect(unknown.code).toBe(2);
  });

  it('A1 kill -9 of the daemon mid-rollout: its supervisor restarts it, the rollout goes on with the same processes', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    box.message('hello from v2');
    box.manifest({ containers: 2, env: { COLD_START_MS: '1500' } });
    await box.ok(['deploy', box.appDir, '--detach']);
    const mid = await waitFor('a v2 container starting', async () => {
      const s = await box!.status();
      return s.rollout && s.containers.some((c) => c.version === 2) ? s : undefined;
    });
    expect(mid.rollout).toMatchObject({ from: 1, to: 2 });
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
    expect(daemon).toMatchObject({ running: true, pid: expect.any(Number), supervisor: expect.any(Number) });
    // What runs when the daemon dies: v1's ready containers, v2's starting ones.
    const before = await waitFor('the v2 process', () => {
      const p = containerProcesses(box!.home);
      return p.size >= 3 ? p : undefined;
    });
    // The v2 containers whose processes were seen (the rollout may start the next one meanwhile).
    const v2Before = (await box.status()).containers
      .filter((c) => c.version === 2 && before.has(c.id))
      .map((c) => c.id);
    expect(v2Before.length).toBeGreaterThan(0);

    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the daemon to die', () => !processAlive(daemon.pid));

    // The supervisor has started another; it answers the next command.
    const status = await box.ok(['status', 'shop', '--json']);
    expect(status.json()).toMatchObject({ app: 'shop', status: 'deployed' });
    const restarted = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
    expect(restarted).toMatchObject({ running: true, supervisor: daemon.supervisor });
    expect(restarted.pid).not.toBe(daemon.pid);
    const waited = await box.run(['wait', 'shop', '--timeout', '60s']);
    expect(waited.code, waited.stdout + waited.stderr).toBe(0);

    const after = await box.status();
    expect(after).toMatchObject({ version: 2, rollout: null });
    const live = containerProcesses(box.home);
    expect([...live.keys()].sort()).toEqual(after.containers.map((c) => c.id).sort());
    // v2's containers were adopted, not started again: the same processes.
    for (const id of v2Before) {
      expect(after.containers.map((c) => c.id)).toContain(id);
      expect(live.get(id)).toBe(before.get(id));
    }
    expect((await get(after.functions[0]!.url!)).body).toMatchObject({
      version: 2,
      message: 'hello from v2',
    });

    // D1 across the crash: no number reused or skipped.
    box.message('hello from v3');
    await box.ok(['deploy', box.appDir]);
    const history = await box.history();
    expect(history.map((h) => [h.version, h.outcome])).toEqual([
      [3, 'active'],
      [2, 'superseded'],
      [1, 'superseded'],
    ]);
  });
});
