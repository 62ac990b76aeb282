// The proxy keeps its connections to a container alive between requests. A connection it paused
// for a slow client must come back to the pool reading, or the next request on it is never
// answered: the S1 nginx test's PUT uploads (issue 12) hung on such a connection until a drain
// timeout cut them, and a body that streamed cannot be sent again (R1), so they failed.
import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import type { AttemptFailure } from '../../../src/local/runtime/proxy/attempt.ts';
import { FunctionProxy } from '../../../src/local/runtime/proxy/function-proxy.ts';
import { startFixture, stopFixtures } from './fixture-process.ts';

const proxies: FunctionProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await stopFixtures();
});

function send(
  port: number,
  method: string,
  path: string,
  body?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.end(body);
  });
}

describe('the proxy’s pooled connections to a container', () => {
  it('R1: a response that ends on a write the client has not taken yet leaves its connection answering the next request; a streamed PUT takes a new one', async () => {
    const port = await freePort();
    const echo = startFixture('echo-server.mjs', { PORT: String(port) });
    await echo.waitForOutput('listening');
    const failed: AttemptFailure[] = [];
    const finished: string[] = [];
    const proxy: FunctionProxy = new FunctionProxy({
      port: 0,
      idPrefix: 'shop/web/',
      // A hung attempt shows as a request_timeout failure instead of a test timeout.
      limits: { requestTimeoutMs: 3_000 },
      hooks: {
        arrived: (inputId) => setImmediate(() => proxy.route(inputId, 'c-1', port)),
        finished: (inputId) => finished.push(inputId),
        failed: (inputId, _containerId, failure) => {
          // What the engine does with a streamed body (R1): answered with the reason, never resent.
          failed.push(failure);
          proxy.answerError(inputId, 502, { error: failure.reason });
        },
        cancelled: () => undefined,
      },
    });
    proxies.push(proxy);
    await proxy.listen();

    // 32 KiB arrive in one read and fill the client connection's buffer on the last write.
    const download = await send(proxy.port, 'GET', '/big?bytes=32768');
    expect(download.body.length).toBe(32_768);
    // The next request goes on the same, reused connection: it must be answered.
    const small = await send(proxy.port, 'PUT', '/count', Buffer.alloc(1000, 7));
    expect(failed).toEqual([]);
    expect(small).toEqual({ status: 200, body: JSON.stringify({ bytes: 1000 }) });
    expect(echo.output().match(/connection \d+/g)).toEqual(['connection 1']);
    // R1: a body past the hold-back streams and cannot be sent again, so it never goes on a
    // kept-alive connection the container could be closing at that moment: a new one.
    const upload = await send(proxy.port, 'PUT', '/count', Buffer.alloc(512 * 1024, 7));
    expect(upload).toEqual({ status: 200, body: JSON.stringify({ bytes: 512 * 1024 }) });
    await vi.waitFor(() => expect(finished).toEqual(['shop/web/1', 'shop/web/2', 'shop/web/3']));
    expect(echo.output().match(/connection \d+/g)).toEqual(['connection 1', 'connection 2']);
  });
});
