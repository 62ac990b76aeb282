import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { waitUntilReady, watchReadiness } from '../../../src/local/runtime/readiness.ts';
import { startFixture, stopFixtures } from './fixture-process.ts';

afterEach(async () => {
  await stopFixtures();
});

describe('waitUntilReady', () => {
  it('waits until a server that starts late accepts connections', async () => {
    const port = await freePort();
    const server = startFixture('late-server.mjs', { PORT: String(port), DELAY_MS: '400' });
    await waitUntilReady({ port, ready: 'port', signal: AbortSignal.timeout(30_000), intervalMs: 20 });
    // Had it resolved before the fixture listened, this connection would be refused.
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', reject);
    });
    await server.waitForOutput('listening');
  });

  it('waits for the readiness path to answer 2xx', async () => {
    const port = await freePort();
    const server = startFixture('warming-server.mjs', { PORT: String(port), UNHEALTHY_COUNT: '3' });
    await server.waitForOutput('listening');
    await waitUntilReady({ port, ready: '/healthz', signal: AbortSignal.timeout(30_000), intervalMs: 20 });
    // Three 503s, then the 200 that made it ready: the next ask is the fifth.
    const after = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await after.text()).toBe('5');
  });

  it('rejects with the abort reason when the signal aborts', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const waiting = waitUntilReady({ port, ready: 'port', signal: controller.signal, intervalMs: 20 });
    const reason = new Error('start timeout');
    setTimeout(() => controller.abort(reason), 100);
    await expect(waiting).rejects.toBe(reason);
    await expect(
      waitUntilReady({ port, ready: '/healthz', signal: AbortSignal.abort(reason), intervalMs: 20 }),
    ).rejects.toBe(reason);
  });
});

describe('watchReadiness', () => {
  it('H1: keeps probing a ready container and reports it unready after the failure threshold', async () => {
    const port = await freePort();
    const server = startFixture('tiring-server.mjs', { PORT: String(port), HEALTHY_COUNT: '3' });
    await server.waitForOutput('listening');
    await waitUntilReady({ port, ready: '/healthz', signal: AbortSignal.timeout(30_000), intervalMs: 20 });
    const reasons: string[] = [];
    await watchReadiness({
      port,
      ready: '/healthz',
      signal: AbortSignal.timeout(30_000),
      periodMs: 20,
      timeoutMs: 1_000,
      failureThreshold: 3,
      onUnready: (reason) => reasons.push(reason),
    });
    expect(reasons).toEqual(['3 readiness probes failed in a row (last: HTTP 503 from /healthz: "6")']);
    // Asks 2 and 3 passed, 4, 5 and 6 failed: it stopped at the third failure in a row.
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).text()).toBe('7');
  });

  it('H1: a probe that gets no answer within its timeout counts as failed', async () => {
    const port = await freePort();
    const held = startFixture('echo-server.mjs', { PORT: String(port), HOLD: '1' });
    await held.waitForOutput('listening');
    const reasons: string[] = [];
    await watchReadiness({
      port,
      ready: '/healthz',
      signal: AbortSignal.timeout(30_000),
      periodMs: 20,
      timeoutMs: 100,
      failureThreshold: 2,
      onUnready: (reason) => reasons.push(reason),
    });
    expect(reasons).toEqual(['2 readiness probes failed in a row (last: no answer within 100 ms)']);
  });
});

describe('what the probe answered (H1, for the screen)', () => {
  it('tells each answer: refused before it listens, then the status and the body it sent', async () => {
    const port = await freePort();
    const answers: string[] = [];
    const server = startFixture('warming-server.mjs', { PORT: String(port), UNHEALTHY_COUNT: '2' });
    await waitUntilReady({
      port,
      ready: '/healthz',
      signal: AbortSignal.timeout(30_000),
      intervalMs: 20,
      onAnswer: (answer) => answers.push(answer),
    });
    await server.waitForOutput('listening');
    const distinct = [...new Set(answers)];
    expect(distinct.at(-1)).toMatch(/^HTTP 200 from \/healthz/);
    expect(distinct).toContain('HTTP 503 from /healthz: "1"');
    expect(
      answers
        .slice(0, answers.indexOf('HTTP 503 from /healthz: "1"'))
        .every((a) => a === 'connection refused'),
    ).toBe(true);
  });
});
