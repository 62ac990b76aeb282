// The proxies follow the versions: a port opens when a version that asks for it rolls out and
// stays open while the daemon runs. A failed build moves nothing (D4), a rollback gets its
// version's port back (B1), a refused deploy binds nothing, and no request is cut on the way.
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { waitFor } from './cli.ts';
import { type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
let blocker: Server | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
  blocker?.close();
  blocker = null;
});

async function answers(port: number): Promise<{ message: string } | 'refused'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return (await res.json()) as { message: string };
  } catch {
    return 'refused';
  }
}

/** Whether a program other than cutover can listen on 127.0.0.1:port now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Sends raw lines to the daemon's socket and collects what comes back. */
function rawSocket(path: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let out = '';
    socket.on('data', (d) => {
      out += d.toString();
      if (out.split('\n').length > lines.length) socket.end();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('proxies and ports (local platform)', () => {
  it('D4 a deploy that changes the port and fails to build moves nothing: the old port keeps serving', async () => {
    const [first, second] = [await freePort(), await freePort()];
    box = sandbox({ containers: 1, port: first });
    await box.ok(['deploy', box.appDir]);
    box.manifest({ containers: 1, port: second, build: 'echo boom; exit 3' });
    const deploy = await box.run(['deploy', box.appDir]);
    expect(deploy.code).toBe(1);
    expect(await answers(first)).toMatchObject({ message: 'hello from v1' });
    expect(await answers(second)).toBe('refused');
    expect((await box.status()).functions[0]!.url).toBe(`http://127.0.0.1:${first}`);
  });

  it('B1 a rollback gets its version port back; the newer port is not cut either', async () => {
    const [first, second] = [await freePort(), await freePort()];
    box = sandbox({ containers: 1, port: first });
    await box.ok(['deploy', box.appDir]);
    box.message('hello from v2');
    box.manifest({ containers: 1, port: second });
    await box.ok(['deploy', box.appDir]);
    expect((await box.status()).functions[0]!.url).toBe(`http://127.0.0.1:${second}`);
    expect(await answers(second)).toMatchObject({ message: 'hello from v2' });
    // A client of the old port is not cut off by the new version.
    expect(await answers(first)).toMatchObject({ message: 'hello from v2' });

    await box.ok(['rollback', 'shop']);
    expect((await box.status()).functions[0]!.url).toBe(`http://127.0.0.1:${first}`);
    expect(await answers(first)).toMatchObject({ message: 'hello from v1' });
  });

  it('a deploy whose port is taken exits 2 and binds nothing, creating no app', async () => {
    const busy = await freePort();
    const [spare] = [await freePort()];
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(busy, '127.0.0.1', r));
    box = sandbox({ containers: 1, port: busy });
    const deploy = await box.run(['deploy', box.appDir, '--json']);
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain(`port ${busy}`);
    expect(JSON.parse(deploy.stdout)).toMatchObject({ error: { code: 'port-in-use' } });
    expect((await box.ok(['apps', '--json'])).json()).toEqual([]);
    // The same app on a free port deploys as v1: the refusal used nothing.
    box.manifest({ containers: 1, port: spare });
    expect((await box.ok(['deploy', box.appDir, '--json'])).json()).toMatchObject({ version: 1 });
  });

  it('a malformed request on the socket is refused; the daemon and the app keep running', async () => {
    box = sandbox({ containers: 1 });
    await box.ok(['deploy', box.appDir]);
    const replies = await rawSocket(`${box.home}/daemon.sock`, ['null', '{"method":"apps"}', 'not json']);
    expect(
      replies
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).error.code),
    ).toEqual(['bad-request', 'bad-request', 'bad-request']);
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<{ running: boolean }>();
    expect(daemon.running).toBe(true);
    expect((await box.status()).containers).toHaveLength(1);
  });

  it("T1: a stopped app hands its port at once to another app's deploy; a conflict names the holder", async () => {
    const port = await freePort();
    box = sandbox({ app: 'alpha', containers: 1, port });
    await box.ok(['deploy', box.appDir]);
    await box.ok(['stop', 'alpha', '--yes']);
    // The daemon still runs: the port is handed over without a restart.
    box.manifest({ app: 'beta', containers: 1, port });
    await box.ok(['deploy', box.appDir]);
    expect(await answers(port)).toMatchObject({ message: 'hello from v1' });

    box.manifest({ app: 'gamma', containers: 1, port });
    const taken = await box.run(['deploy', box.appDir]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(
      `port ${port} (function web of gamma) is already in use by function web of app beta`,
    );

    // A port some other program holds: that program is named.
    const outside = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(outside, '127.0.0.1', r));
    box.manifest({ app: 'gamma', containers: 1, port: outside });
    const held = await box.run(['deploy', box.appDir]);
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(
      `port ${outside} (function web of gamma) is already in use by pid ${process.pid} (`,
    );
  });

  it("T1: a stopped app's port is let go by the supervisor too: after a daemon restart any program may bind it", async () => {
    const port = await freePort();
    box = sandbox({ app: 'alpha', containers: 1, port });
    await box.ok(['deploy', box.appDir]);
    await box.ok(['stop', 'alpha', '--yes']);
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
    process.kill(daemon.pid, 'SIGKILL'); // the worker; the supervisor holds the sockets and restarts it
    await waitFor('the worker to die', () => !processAlive(daemon.pid));
    await waitFor('a new worker', async () => {
      const now = await box!.run(['daemon', 'status', '--json']);
      return now.code === 0 && now.json<DaemonStatusJson>().pid !== daemon.pid;
    });
    await waitFor(`port ${port} to be free`, () => bindable(port));
  });
});
