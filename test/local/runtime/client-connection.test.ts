// The proxy's side of a client connection, now that it is not node:http: what node:http did for
// a client must still happen (pipelined requests answered in order, an answer of unknown length
// chunked or closed as the client's HTTP version allows, HEAD without a body, Expect).
import type { Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { FunctionProxy } from '../../../src/local/runtime/proxy/function-proxy.ts';
import { startFixture, stopFixtures } from './fixture-process.ts';
import { proxyTo, rawContainer, rawExchange } from './raw-http.ts';

const closers: Array<() => Promise<void>> = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  for (const server of servers.splice(0)) server.close();
  await stopFixtures();
});

async function through(answer: string, request: string): Promise<{ text: string; closed: boolean }> {
  const container = await rawContainer(answer);
  servers.push(container.server);
  const { close, proxy } = await proxyTo(container.port);
  closers.push(close);
  return rawExchange(proxy.port, request, 2_000);
}

const UNKNOWN_LENGTH = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nhello';

describe('client connections', () => {
  it('serves pipelined requests one at a time: the next reaches the engine only once the one before is answered', async () => {
    const port = await freePort();
    const echo = startFixture('echo-server.mjs', { PORT: String(port) });
    await echo.waitForOutput('listening');
    const arrived: string[] = [];
    const proxy = new FunctionProxy({
      port: 0,
      idPrefix: 'shop/web/',
      hooks: {
        arrived: (inputId) => arrived.push(inputId),
        finished: () => undefined,
        failed: () => undefined,
        cancelled: () => undefined,
      },
    });
    closers.push(() => proxy.close());
    await proxy.listen();
    const answer = rawExchange(
      proxy.port,
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    await vi.waitFor(() => expect(arrived).toEqual(['shop/web/1']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(arrived).toEqual(['shop/web/1']);
    proxy.route('shop/web/1', 'c-1', port);
    await vi.waitFor(() => expect(arrived).toEqual(['shop/web/1', 'shop/web/2']));
    proxy.route('shop/web/2', 'c-1', port);
    const { text, closed } = await answer;
    expect(closed).toBe(true);
    expect([...text.matchAll(/"url":"([^"]*)"/g)].map((m) => m[1])).toEqual(['/1', '/2']);
  });

  it('chunks an answer of unknown length for an HTTP/1.1 client, and keeps the connection', async () => {
    const { text, closed } = await through(UNKNOWN_LENGTH, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(closed).toBe(false);
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(head.split('\r\n')).toEqual(
      expect.arrayContaining(['HTTP/1.1 200 OK', 'transfer-encoding: chunked']),
    );
    expect(head.toLowerCase()).not.toContain('connection: close');
    expect(text.slice(head.length + 4)).toBe('5\r\nhello\r\n0\r\n\r\n');
  });

  it('sends an answer of unknown length to an HTTP/1.0 client as is, then closes the connection', async () => {
    const { text, closed } = await through(
      UNKNOWN_LENGTH,
      'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(closed).toBe(true);
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(head.split('\r\n')).toEqual(expect.arrayContaining(['HTTP/1.1 200 OK', 'connection: close']));
    expect(head.toLowerCase()).not.toContain('transfer-encoding');
    expect(text.slice(head.length + 4)).toBe('hello');
  });

  it('answers HEAD with the head alone, its Content-Length kept', async () => {
    const { text, closed } = await through(
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n',
      'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(closed).toBe(true);
    expect(text.split('\r\n')).toEqual(expect.arrayContaining(['HTTP/1.1 200 OK', 'Content-Length: 5']));
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });

  it('answers Expect: 100-continue with 100 Continue before the answer, and any other expectation with 417', async () => {
    const continued = await through(
      'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n',
      'PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    );
    expect(continued.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 100', 'HTTP/1.1 201']);
    const refused = await through(
      'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n',
      'PUT /f HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    );
    expect(refused.text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 417']);
  });
});
