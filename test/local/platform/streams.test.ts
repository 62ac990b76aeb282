// Issue 12: traffic real apps carry, through the local platform's proxy and a rolling deploy:
// a WebSocket between two real implementations (Debian's python3-websockets as both client and
// container) and a server-sent event stream.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

const PYTHON = '/usr/bin/python3'; // Debian's, which python3-websockets is installed for
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python');

let box: Sandbox | null = null;
const clients: ChildProcess[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await box?.cleanup();
  box = null;
});

/** The Python client, its output lines as they come. */
function wsClient(url: string, message: string): { lines: string[]; exited: Promise<number | null> } {
  const child = spawn(PYTHON, [join(FIXTURES, 'ws_client.py'), url, message], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  clients.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stdout
    .setEncoding('utf8')
    .on('data', (chunk: string) => lines.push(...chunk.split('\n').filter((line) => line !== '')));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      if (code !== 0) lines.push(`stderr: ${stderr}`);
      resolve(code);
    }),
  );
  return { lines, exited };
}

describe('WebSocket and SSE through the proxy (local platform)', () => {
  it('a WebSocket goes to one container, counts in flight while open, and is closed after its container drains', async () => {
    box = sandbox({
      containers: 1,
      command: [PYTHON, 'ws_server.py'],
      ready: 'port',
      drainTimeout: '1s',
    });
    copyFileSync(join(FIXTURES, 'ws_server.py'), join(box.appDir, 'ws_server.py'));
    await box.ok(['deploy', box.appDir]);
    const status = await box.status();
    const wsUrl = status.functions[0]!.url!.replace('http:', 'ws:');
    const v1 = status.containers[0]!.id;

    const first = wsClient(`${wsUrl}/chat`, 'hello');
    await waitFor('the echo', () => first.lines.length > 0);
    expect(first.lines[0]).toBe(`${v1}: hello`);
    expect((await box.status()).inputs).toMatchObject({ inFlight: 1, queued: 0 });

    // A rolling deploy: v1 drains; after the drain timeout the open connection is closed.
    box.message('hello from v2');
    await box.ok(['deploy', box.appDir]);
    expect(await first.exited).toBe(0);
    expect(first.lines).toEqual([`${v1}: hello`, 'closed']);

    const second = wsClient(`${wsUrl}/chat`, 'again');
    await waitFor('the echo from v2', () => second.lines.length > 0);
    const v2 = (await box.status()).containers[0]!.id;
    expect(v2).not.toBe(v1);
    expect(second.lines[0]).toBe(`${v2}: again`);
  }, 120_000);

  it('server-sent events arrive one by one while the stream runs; the client leaving frees the slot', async () => {
    box = sandbox({ containers: 1 });
    await box.ok(['deploy', box.appDir]);
    const url = new URL((await box.status()).functions[0]!.url!);
    const events: string[] = [];
    const req = request({ host: url.hostname, port: url.port, path: '/events' });
    req.on('response', (res) => {
      res
        .setEncoding('utf8')
        .on('data', (chunk: string) => events.push(...chunk.split('\n\n').filter(Boolean)));
    });
    req.on('error', () => undefined);
    req.end();
    await waitFor('three events', () => events.length >= 3);
    expect(events.slice(0, 3)).toEqual(
      [1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^data: shop-web-\\d+ ${n}$`))),
    );
    expect((await box.status()).inputs.inFlight).toBe(1);
    req.destroy();
    await waitFor('the slot freed', async () => (await box!.status()).inputs.inFlight === 0);
    expect((await box.status()).inputs).toMatchObject({ done: 1, failed: 0 });
  }, 120_000);
});
