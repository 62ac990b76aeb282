// Issue 13, defect 4 (A1): a daemon restart is not an outage. A supervisor holds the listening
// sockets and restarts the daemon; the new daemon adopts the running containers. Real parts
// throughout: nginx as the containers, wrk as the load, kill -9 as the crash.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { nginxMasters, useNginxApp } from './nginx.ts';
import { containerProcesses, type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

/** wrk's summary: requests done and the ones that failed (socket errors and non-2xx answers). */
interface WrkResult {
  requests: number;
  failed: number;
  text: string;
}

function wrk(url: string, o: { connections: number; seconds: number }): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const args = ['-t2', `-c${o.connections}`, `-d${o.seconds}s`, '--timeout', '5s', url];
    execFile('wrk', args, { timeout: (o.seconds + 30) * 1000 }, (error, stdout) => {
      if (error) return reject(error);
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const errors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      resolve({ requests, failed: errors + non2xx, text: stdout });
    });
  });
}

/** One GET on a connection of its own; the status, or null when the connection failed. */
function probe(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

async function daemonStatus(b: Sandbox): Promise<DaemonStatusJson> {
  return (await b.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
}

describe('a daemon restart (local platform)', () => {
  it('A1 kill -9 under wrk load: only requests in flight fail, new connections wait and are served, no container restarts', async () => {
    box = sandbox();
    useNginxApp(box, { containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status('edge')).functions[0]!.url!;
    const masters = nginxMasters(box.home);
    expect(masters).toHaveLength(2);
    const daemon = await daemonStatus(box);

    const connections = 16;
    const load = wrk(url, { connections, seconds: 8 });
    await new Promise((r) => setTimeout(r, 2_500));
    process.kill(daemon.pid, 'SIGKILL');
    const killedAt = Date.now();
    await waitFor('the worker to die', () => !processAlive(daemon.pid), { intervalMs: 5 });
    // New connections, one every 20 ms, from the moment the worker is gone.
    const probes: Array<{ at: number; status: Promise<number | null>; end: Promise<number> }> = [];
    for (let i = 0; i < 50; i++) {
      const at = Date.now();
      const status = probe(url);
      probes.push({ at, status, end: status.then(() => Date.now()) });
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await load;
    const statuses = await Promise.all(probes.map((p) => p.status));
    const firstServed = Math.min(...(await Promise.all(probes.map((p) => p.end))));
    const recoveryMs = firstServed - killedAt;
    console.log(
      `A1 kill -9 under load: ${result.requests} requests by wrk, ${result.failed} failed ` +
        `(${connections} connections); first new connection served ${recoveryMs} ms after the kill`,
    );

    // Only what was in flight inside the dead process can fail: at most one request per connection.
    expect(result.failed, result.text).toBeLessThanOrEqual(connections);
    expect(result.requests).toBeGreaterThan(100);
    // Every connection opened after the kill waited and was served.
    expect(statuses).toEqual(statuses.map(() => 200));
    // The supervisor stayed, a new worker serves, and it adopted the containers: same nginx masters.
    const now = await daemonStatus(box);
    expect(now).toMatchObject({ running: true, supervisor: daemon.supervisor });
    expect(now.pid).not.toBe(daemon.pid);
    expect(nginxMasters(box.home)).toEqual(masters);
    const status = await box.status('edge');
    expect(status.containers.map((c) => c.state)).toEqual(['ready', 'ready']);
    expect(status.functions[0]!.url).toBe(url);
  }, 120_000);

  it('A1 kill -9 of supervisor and worker together: the next command starts a daemon that adopts the containers, same URL', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.status();
    const pids = containerProcesses(box.home);
    const daemon = await daemonStatus(box);
    process.kill(daemon.supervisor, 'SIGKILL');
    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the daemon to die', () => !processAlive(daemon.supervisor) && !processAlive(daemon.pid));

    const after = await box.status();
    expect(after.functions[0]!.url).toBe(before.functions[0]!.url); // an assigned port is kept
    expect(after.containers.map((c) => [c.id, c.state])).toEqual(
      before.containers.map((c) => [c.id, 'ready']),
    );
    expect(containerProcesses(box.home)).toEqual(pids);
    const res = await fetch(after.functions[0]!.url!, { headers: { connection: 'close' } });
    expect(await res.json()).toMatchObject({ version: 1, message: 'hello from v1' });
  });

  it('daemon stop drains a request in flight and returns once the daemon has exited; the apps keep running until --apps', async () => {
    box = sandbox({ containers: 1, env: { WORK_MS: '2000' } });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;
    const pids = containerProcesses(box.home);
    const daemon = await daemonStatus(box);

    const slow = probe(url);
    await new Promise((r) => setTimeout(r, 300)); // in flight: the app takes 2 s to answer
    const stopped = await box.run(['daemon', 'stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/stopped \(pid \d+\); the apps keep running/);
    // Returned only once both processes had gone: nothing for the next command to race.
    expect(processAlive(daemon.supervisor)).toBe(false);
    expect(processAlive(daemon.pid)).toBe(false);
    expect(await slow).toBe(200);
    for (const pid of pids.values()) expect(processAlive(pid)).toBe(true);

    // The next command starts a daemon that adopts the app as it was; --apps stops it too.
    expect((await box.status()).containers.map((c) => c.state)).toEqual(['ready']);
    expect(containerProcesses(box.home)).toEqual(pids);
    const all = await box.run(['daemon', 'stop', '--apps']);
    expect(all.stdout).toMatch(/with its apps/);
    for (const pid of pids.values()) expect(processAlive(pid)).toBe(false);
  });
});
