// Issue 13, defect 3: containers a crashed daemon leaves behind are found by what a process
// cannot change about itself (pid, start time, process group), not by its environment, which
// nginx overwrites with its process title. Tested with a real nginx as the containers.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { nginxMasters, nginxProcesses, useNginxApp } from './nginx.ts';
import { type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('orphans (local platform, real nginx)', () => {
  it('A1 after kill -9 of the whole daemon, the next one adopts the nginx containers and manages every nginx; stop leaves none', async () => {
    box = sandbox();
    useNginxApp(box, { containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.status('edge');
    expect(before.containers.map((c) => c.state)).toEqual(['ready', 'ready']);
    const served = await fetch(before.functions[0]!.url!, { headers: { connection: 'close' } });
    expect(await served.json()).toMatchObject({ server: 'nginx', version: 1 });
    const masters = nginxMasters(box.home);
    expect(masters).toHaveLength(2);

    // The supervisor and its worker both: nothing of the daemon is left to restart anything.
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
    process.kill(daemon.supervisor, 'SIGKILL');
    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the daemon to die', () => !processAlive(daemon.pid) && !processAlive(daemon.supervisor));

    // The next command starts a daemon again; the app converges to two containers.
    const waited = await box.run(['wait', 'edge', '--timeout', '60s']);
    expect(waited.code, waited.stdout + waited.stderr).toBe(0);
    const after = await box.status('edge');
    expect(after.containers.map((c) => c.state)).toEqual(['ready', 'ready']);
    // The same nginx masters, adopted: found by pid, start time and process group although nginx
    // rewrote its environment, and one per container the daemon knows.
    expect(nginxMasters(box.home)).toEqual(masters);
    expect(after.containers).toHaveLength(masters.length);
    const again = await fetch(after.functions[0]!.url!, { headers: { connection: 'close' } });
    expect(await again.json()).toMatchObject({ server: 'nginx' });

    // T1: stopping the app ends every nginx process, masters and workers.
    await box.ok(['stop', 'edge', '--yes']);
    await waitFor('no nginx left', () => (nginxProcesses(box!.home).length === 0 ? true : undefined));
  });
});
