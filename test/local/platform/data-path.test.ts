// Issue 12: what the proxy does with inputs a rollout cuts (R1) and with more inputs than the
// containers take (Q1), on the real local platform: real processes, real HTTP, a real database.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { call } from './http.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
let runsDir: string | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
  if (runsDir) rmSync(runsDir, { recursive: true, force: true });
  runsDir = null;
});

/** Where the fixture app writes one line per request it starts (`container method url`). */
function runsFile(): string {
  runsDir = mkdtempSync(join(tmpdir(), 'cutover-runs-'));
  return join(runsDir, 'runs.log');
}

function runsOf(file: string, id: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => line.endsWith(`id=${id}`));
}

describe('R1 retries on the local platform', () => {
  it('R1: a POST that outlives the drain timeout fails cleanly and ran once; a GET that does runs again on the new container', async () => {
    const runs = runsFile();
    box = sandbox({ containers: 1, drainTimeout: '1s', env: { RUNS_FILE: runs } });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;

    const post = call(`${url}/work?ms=15000&id=post1`, { method: 'POST', body: 'pay 10' });
    const get = call(`${url}/work?ms=15000&id=get1`);
    await waitFor(
      'both requests reach v1',
      () => runsOf(runs, 'post1').length + runsOf(runs, 'get1').length === 2,
    );

    box.message('hello from v2');
    await box.ok(['deploy', box.appDir]);
    const [posted, got] = await Promise.all([post.reply, get.reply]);

    expect(posted.status).toBe(502);
    expect(posted.headers['content-type']).toMatch(/^application\/json/);
    expect(posted.json).toMatchObject({ code: 'not-retried' });
    expect(posted.json?.error).toMatch(
      /^cut at shop-web-\d+'s drain timeout \(1s\); a POST that may have reached the app is not sent again \(retry = "idempotent"\)$/,
    );
    expect(runsOf(runs, 'post1')).toHaveLength(1);

    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ version: 2 });
    const getRuns = runsOf(runs, 'get1').map((line) => line.split(' ')[0]);
    expect(getRuns).toHaveLength(2);
    expect(getRuns[1]).toBe(got.json?.container);
    expect(getRuns[0]).not.toBe(getRuns[1]);

    const status = await box.status();
    expect(status.inputs).toMatchObject({ failed: 1, queued: 0, inFlight: 0 });
  }, 120_000);
});

describe('Q1 bounds on the local platform', () => {
  it('Q1: a full queue and a queue timeout answer 503 with Retry-After and the reason; nothing else is lost', async () => {
    box = sandbox({
      containers: 1,
      concurrency: 1,
      extraFunctionLines: ['max_queue = 2', 'queue_timeout = "8s"'],
    });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;

    const busy = call(`${url}/work?ms=12000`);
    await waitFor('the one slot taken', async () => (await box!.status()).inputs.inFlight === 1);
    const queued = [call(`${url}/work?ms=10`), call(`${url}/work?ms=10`)];
    await waitFor('two inputs queued', async () => (await box!.status()).inputs.queued === 2);
    const refused = await call(`${url}/work?ms=10`).reply;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json).toEqual({
      code: 'queue-full',
      error: '2 inputs already wait for web (max_queue = 2)',
    });

    for (const q of queued) {
      const timedOut = await q.reply;
      expect(timedOut.status).toBe(503);
      expect(timedOut.headers['retry-after']).toBe('1');
      expect(timedOut.json?.code).toBe('queue-timeout');
      expect(timedOut.json?.error).toMatch(
        /^waited 8(\.\d)?s for a container of web \(queue_timeout = 8s\)$/,
      );
    }
    expect((await busy.reply).status).toBe(200);
    expect((await box.status()).inputs).toMatchObject({ done: 1, failed: 3, queued: 0, inFlight: 0 });
  }, 120_000);

  it('Q1: a client that leaves while queued is cancelled, not counted done or failed, and never reaches the app', async () => {
    const runs = runsFile();
    box = sandbox({ containers: 1, concurrency: 1, env: { RUNS_FILE: runs } });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;

    const busy = call(`${url}/work?ms=12000&id=busy`);
    await waitFor('the one slot taken', () => runsOf(runs, 'busy').length === 1);
    const leaving = call(`${url}/work?ms=10&id=leaving`);
    await waitFor('one input queued', async () => (await box!.status()).inputs.queued === 1);
    leaving.abandon();
    await waitFor('it is cancelled', async () => (await box!.status()).inputs.cancelled === 1);
    expect((await box.status()).inputs).toMatchObject({ queued: 0, inFlight: 1, done: 0, failed: 0 });

    expect((await busy.reply).status).toBe(200);
    const after = await call(`${url}/work?ms=10&id=after`).reply;
    expect(after.status).toBe(200);
    expect(runsOf(runs, 'leaving')).toEqual([]);
    expect((await box.status()).inputs).toMatchObject({ done: 2, failed: 0, cancelled: 1 });
  }, 120_000);

  it('Q1: a body over max_body is answered 413 saying so; one under it streams to the app', async () => {
    box = sandbox({ containers: 1, extraFunctionLines: ['max_body = "1MiB"'] });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;
    const over = await call(`${url}/upload`, { method: 'POST', body: Buffer.alloc(2 * 1024 * 1024) }).reply;
    expect(over.status).toBe(413);
    expect(over.json).toEqual({
      code: 'body-too-large',
      error: 'request body larger than max_body (1048576 bytes)',
      limitBytes: 1048576,
    });
    const under = await call(`${url}/upload`, { method: 'POST', body: Buffer.alloc(900 * 1024) }).reply;
    expect(under.status).toBe(200);
    expect(under.json).toMatchObject({ bytes: 900 * 1024 });
  }, 120_000);
});
