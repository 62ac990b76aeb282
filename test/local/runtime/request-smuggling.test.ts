// The proxy reads requests with node's own llhttp (src/local/runtime/proxy/llhttp.ts) rather than
// through node:http: what it refuses must be what node:http refuses. Each case is a known way to
// make a proxy and the server behind it disagree on where a request ends (request smuggling,
// RFC 9112 §6.3 and §11.2): refused with 400 (431 for a head too large), the connection closed,
// nothing sent to the container. And the other way: a container's answer that would split the
// client's response is not passed on.
import type { Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { startFixture, stopFixtures } from './fixture-process.ts';
import {
  rawExchange as exchange,
  rawContainer as startContainer,
  proxyTo as startProxy,
} from './raw-http.ts';

const closers: Array<() => Promise<void>> = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  for (const server of servers.splice(0)) server.close();
  await stopFixtures();
});

async function proxyTo(port: number) {
  const started = await startProxy(port);
  closers.push(started.close);
  return started;
}

async function rawContainer(answer: string): Promise<number> {
  const { port, server } = await startContainer(answer);
  servers.push(server);
  return port;
}

async function echo(): Promise<{ port: number; output: () => string }> {
  const port = await freePort();
  const server = startFixture('echo-server.mjs', { PORT: String(port) });
  await server.waitForOutput('listening');
  return { port, output: () => server.output() };
}

const REFUSED: Array<[string, string, number]> = [
  [
    'Content-Length and Transfer-Encoding together',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n',
    400,
  ],
  [
    'two different Content-Lengths',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 30\r\n\r\nhelloGET /smuggled HTTP/1.1\r\n\r\n',
    400,
  ],
  ['a Content-Length list', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello', 400],
  ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello', 400],
  [
    'chunked that is not the last coding',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n',
    400,
  ],
  [
    'a Transfer-Encoding that is not chunked',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    400,
  ],
  ['an obs-fold header line', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n', 400],
  ['bare LF line ends', 'GET / HTTP/1.1\nHost: x\n\n', 400],
  ['a bare CR', 'GET / HTTP/1.1\rHost: x\r\n\r\n', 400],
  ['a space before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400],
  ['a NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
  [
    'a chunk size ended by a bare LF',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n',
    400,
  ],
  [
    'a chunk size that is not hex',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n',
    400,
  ],
  ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400],
  [
    'a head larger than node:http allows',
    `GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(20_000)}\r\n\r\n`,
    431,
  ],
];

describe('request smuggling: the proxy refuses what node:http refuses', () => {
  it.each(REFUSED)(
    'refuses %s, closes the connection and sends nothing to the container',
    async (_name, bytes, status) => {
      const container = await echo();
      const { proxy, arrived } = await proxyTo(container.port);
      const { text, closed } = await exchange(proxy.port, bytes);
      expect(text.split('\r\n')[0]).toBe(
        `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      );
      expect(closed).toBe(true);
      expect(arrived).toEqual([]);
      expect(container.output()).not.toContain('request');
    },
  );

  it('keeps to the framing the client declared: a body is never read as a request, and answers come in order', async () => {
    const container = await echo();
    const { proxy, arrived } = await proxyTo(container.port);
    const bytes =
      'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 24\r\n\r\nGET /smuggled HTTP/1.1\r\n' +
      'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n' +
      'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const { text, closed } = await exchange(proxy.port, bytes);
    expect(closed).toBe(true);
    expect(arrived).toEqual(['POST', 'POST', 'GET']);
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200', 'HTTP/1.1 200']);
    expect([...text.matchAll(/"url":"([^"]*)"/g)].map((m) => m[1])).toEqual(['/a', '/b', '/c']);
    expect([...text.matchAll(/"body":"([^"]*)"/g)].map((m) => m[1])).toEqual([
      'GET /smuggled HTTP/1.1\\r\\n',
      'hello',
      '',
    ]);
    expect(container.output().match(/request \S+ \S+/g)).toEqual([
      'request POST /a',
      'request POST /b',
      'request GET /c',
    ]);
  });
});

describe('response splitting: a container answer that is not clean HTTP is not passed on', () => {
  it.each([
    [
      'a header value with a bare LF',
      'HTTP/1.1 200 OK\r\nX-A: a\nSet-Cookie: evil=1\r\nContent-Length: 2\r\n\r\nok',
    ],
    ['a header name with a space', 'HTTP/1.1 200 OK\r\nX A: a\r\nContent-Length: 2\r\n\r\nok'],
    [
      'Transfer-Encoding with Content-Length',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    ],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!'],
  ])('answers 502 for %s', async (_name, answer) => {
    const { proxy } = await proxyTo(await rawContainer(answer));
    const { text } = await exchange(proxy.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 502 Bad Gateway');
    expect(text).not.toContain('evil');
    expect(text).toContain("the container's response");
  });
});
