import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import type { AttemptFailure } from '../../../src/local/runtime/proxy/attempt.ts';
import { FunctionProxy, type ProxyHooks } from '../../../src/local/runtime/proxy/function-proxy.ts';
import { type FixtureProcess, startFixture, stopFixtures } from './fixture-process.ts';

/** What the proxy reported, in order. */
interface Reports {
  arrived: string[];
  methods: string[];
  finished: Array<[string, string]>;
  failed: Array<[string, string, AttemptFailure]>;
  cancelled: string[];
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const proxies: FunctionProxy[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  for (const agent of agents.splice(0)) agent.destroy();
  await stopFixtures();
});

async function startProxy(
  o: {
    maxBodyBytes?: number;
    requestTimeoutMs?: number;
    onArrived?: (proxy: FunctionProxy, inputId: string) => void;
  } = {},
): Promise<{ proxy: FunctionProxy; reports: Reports }> {
  const reports: Reports = { arrived: [], methods: [], finished: [], failed: [], cancelled: [] };
  const hooks: ProxyHooks = {
    arrived: (inputId, method) => {
      reports.arrived.push(inputId);
      reports.methods.push(method);
      o.onArrived?.(proxy, inputId);
    },
    finished: (inputId, containerId) => reports.finished.push([inputId, containerId]),
    failed: (inputId, containerId, failure) => reports.failed.push([inputId, containerId, failure]),
    cancelled: (inputId) => reports.cancelled.push(inputId),
  };
  const limits = {
    ...(o.maxBodyBytes === undefined ? {} : { maxBodyBytes: o.maxBodyBytes }),
    ...(o.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: o.requestTimeoutMs }),
  };
  const proxy = new FunctionProxy({ port: 0, hooks, idPrefix: 'shop/web/', limits });
  proxies.push(proxy);
  await proxy.listen();
  return { proxy, reports };
}

async function startEcho(
  env: Record<string, string> = {},
): Promise<{ port: number; server: FixtureProcess }> {
  const port = await freePort();
  const server = startFixture('echo-server.mjs', { PORT: String(port), ...env });
  await server.waitForOutput('listening');
  return { port, server };
}

function send(
  port: number,
  o: {
    method?: string;
    path?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    agent?: Agent;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: o.method ?? 'GET',
      path: o.path ?? '/',
      headers: o.headers,
      agent: o.agent,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.end(o.body);
  });
}

/** Tracks whether a pending answer has come yet. */
function watch(answer: Promise<Answer>): { answered: () => boolean } {
  let done = false;
  void answer.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  return { answered: () => done };
}

/** A raw client connection: every byte the proxy ever sends on it is kept. */
async function rawConnection(
  port: number,
): Promise<{ write(text: string): void; received(): string; closed(): boolean; end(): void }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('close', () => {
    closed = true;
  });
  return {
    write: (text) => socket.write(text),
    received: () => received,
    closed: () => closed,
    end: () => socket.destroy(),
  };
}

function statusLines(text: string): string[] {
  return text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
}

describe('FunctionProxy', () => {
  it('buffers a request, reports it arrived, and answers nothing until the engine routes it', async () => {
    const { proxy, reports } = await startProxy();
    const echo = await startEcho({ NAME: 'b' });
    const first = send(proxy.port, { method: 'POST', path: '/orders?x=1', body: 'first-body' });
    const firstWatch = watch(first);
    await vi.waitFor(() => expect(reports.arrived).toEqual(['shop/web/1']));

    // A whole second exchange through the proxy completes while the first still waits.
    const second = send(proxy.port, { path: '/other' });
    await vi.waitFor(() => expect(reports.arrived).toEqual(['shop/web/1', 'shop/web/2']));
    proxy.answerError('shop/web/2', 503, { error: 'no version' });
    expect((await second).status).toBe(503);
    expect(firstWatch.answered()).toBe(false);
    expect(echo.server.output()).not.toContain('request');

    proxy.route('shop/web/1', 'c-b', echo.port);
    const answer = await first;
    expect(answer.status).toBe(200);
    expect(answer.headers['x-cutover-container']).toBe('c-b');
    const echoed = JSON.parse(answer.body);
    expect(echoed).toMatchObject({ name: 'b', method: 'POST', url: '/orders?x=1', body: 'first-body' });
    expect(echoed.headers['x-forwarded-for']).toBe('127.0.0.1');
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-b']]));
    expect(reports.failed).toEqual([]);
  });

  it('answers an engine error with its status and JSON body', async () => {
    const { proxy, reports } = await startProxy();
    const answer = send(proxy.port);
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(1));
    proxy.answerError(reports.arrived[0]!, 503, { error: 'app stopped', app: 'shop' });
    const { status, headers, body } = await answer;
    expect(status).toBe(503);
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toEqual({ error: 'app stopped', app: 'shop' });
    expect(reports.finished).toEqual([]);
  });

  it('reports a refused connection as failed, sends nothing, and answers once when routed again', async () => {
    const { proxy, reports } = await startProxy();
    const echo = await startEcho({ NAME: 'live' });
    const closedPort = await freePort();
    const client = await rawConnection(proxy.port);
    client.write('GET /retry HTTP/1.1\r\nHost: shop\r\n\r\n');
    await vi.waitFor(() => expect(reports.arrived).toEqual(['shop/web/1']));

    proxy.route('shop/web/1', 'c-dead', closedPort);
    await vi.waitFor(() => expect(reports.failed).toHaveLength(1));
    expect(reports.failed[0]!.slice(0, 2)).toEqual(['shop/web/1', 'c-dead']);
    // R1: refused, so it provably never reached the app, and its body is whole to send again.
    expect(reports.failed[0]![2]).toEqual({ reason: 'ECONNREFUSED', unsent: true, final: false });
    expect(client.received()).toBe('');

    proxy.route('shop/web/1', 'c-live', echo.port);
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-live']]));
    await vi.waitFor(() => expect(client.received()).toContain('"url":"/retry"'));
    expect(client.received()).toContain('x-cutover-container: c-live');

    // A second request on the same connection: exactly two answers ever reach the client.
    client.write('GET /after HTTP/1.1\r\nHost: shop\r\n\r\n');
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(2));
    proxy.answerError('shop/web/2', 503, { error: 'done' });
    await vi.waitFor(() => expect(client.received()).toContain('"error":"done"'));
    expect(statusLines(client.received())).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
    client.end();
  });

  it('streams a response from its first byte; cut off halfway, the client sees it cut and it cannot be sent again', async () => {
    const { proxy, reports } = await startProxy();
    const dying = await startEcho({ NAME: 'dying' });
    const client = await rawConnection(proxy.port);
    client.write('GET /reset HTTP/1.1\r\nHost: shop\r\n\r\n');
    await vi.waitFor(() => expect(reports.arrived).toEqual(['shop/web/1']));
    proxy.route('shop/web/1', 'c-dying', dying.port);
    await vi.waitFor(() => expect(reports.failed).toHaveLength(1));
    expect(reports.failed[0]).toEqual([
      'shop/web/1',
      'c-dying',
      { reason: 'connection reset during the response', unsent: false, final: true },
    ]);
    // The client got the head and the part that came, then the connection closed: never a second answer.
    await vi.waitFor(() => expect(client.closed()).toBe(true));
    expect(statusLines(client.received())).toEqual(['HTTP/1.1 200']);
    expect(client.received()).toContain('partial');
    proxy.answerError('shop/web/1', 502, { error: 'not retried' });
    expect(client.received()).not.toContain('not retried');
    expect(reports.finished).toEqual([]);
  });

  it('drops an attempt on a terminated container without reporting it, and answers once from the next', async () => {
    const { proxy, reports } = await startProxy();
    const held = await startEcho({ NAME: 'old', HOLD: '1' });
    const live = await startEcho({ NAME: 'new' });
    const client = await rawConnection(proxy.port);
    client.write('POST /pay HTTP/1.1\r\nHost: shop\r\nContent-Length: 3\r\n\r\nabc');
    await vi.waitFor(() => expect(reports.arrived).toEqual(['shop/web/1']));

    proxy.route('shop/web/1', 'c-old', held.port);
    await held.server.waitForOutput('request POST /pay');
    proxy.abortContainer('c-old');
    await held.server.waitForOutput('dropped /pay');
    expect(reports.failed).toEqual([]);
    expect(client.received()).toBe('');
    proxy.route('shop/web/1', 'c-new', live.port);

    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-new']]));
    await vi.waitFor(() => expect(client.received()).toContain('"body":"abc"'));
    expect(reports.failed).toEqual([]);
    client.write('GET /after HTTP/1.1\r\nHost: shop\r\n\r\n');
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(2));
    proxy.answerError('shop/web/2', 503, { error: 'done' });
    await vi.waitFor(() => expect(client.received()).toContain('"error":"done"'));
    expect(statusLines(client.received())).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
    client.end();
  });

  it('silently replaces an open attempt when the engine routes the input again', async () => {
    const { proxy, reports } = await startProxy();
    const held = await startEcho({ NAME: 'old', HOLD: '1' });
    const live = await startEcho({ NAME: 'new' });
    const answer = send(proxy.port, { path: '/requeued' });
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(1));
    proxy.route('shop/web/1', 'c-old', held.port);
    await held.server.waitForOutput('request GET /requeued');
    proxy.route('shop/web/1', 'c-new', live.port);
    await held.server.waitForOutput('dropped /requeued');
    const { status, headers } = await answer;
    expect(status).toBe(200);
    expect(headers['x-cutover-container']).toBe('c-new');
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-new']]));
    expect(reports.failed).toEqual([]);
  });

  it('answers every request on one keep-alive client connection', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const localPorts = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: proxy.port, path: `/n/${i}`, agent });
        req.on('socket', (socket) => socket.once('connect', () => localPorts.add(socket.localPort ?? -1)));
        req.on('error', reject);
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.end();
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).url).toBe(`/n/${i}`);
    }
    expect(localPorts.size).toBe(1);
    expect(reports.finished).toHaveLength(5);
  });

  it('answers 413 for a body over the limit and never reports it', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      maxBodyBytes: 1024,
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const declared = await send(proxy.port, { method: 'POST', body: Buffer.alloc(4096, 1) });
    expect(declared.status).toBe(413);
    // Chunked: the size is only known while reading.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/chunked' });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 2));
      req.end();
    });
    expect(chunked).toBe(413);
    const small = await send(proxy.port, { method: 'POST', path: '/small', body: 'ok' });
    expect(small.status).toBe(200);
    expect(reports.arrived).toEqual(['shop/web/3']);
  });

  it('streams a response larger than its buffer to the client whole', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const bytes = 3 * 1024 * 1024 + 7;
    const answer = await send(proxy.port, { path: `/big?bytes=${bytes}` });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-cutover-container']).toBe('c-1');
    expect(answer.body.length).toBe(bytes);
    await vi.waitFor(() => expect(reports.finished).toHaveLength(1));
  });

  it('reports finished at once, without contacting the container, for a client that has gone', async () => {
    const { proxy, reports } = await startProxy();
    const echo = await startEcho();
    const client = await rawConnection(proxy.port);
    client.write('GET /gone HTTP/1.1\r\nHost: shop\r\n\r\n');
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(1));
    client.end();
    // A whole exchange on a later connection: by its end the proxy has seen the first one close.
    const later = send(proxy.port, { path: '/later' });
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(2));
    proxy.answerError('shop/web/2', 503, { error: 'later' });
    await later;

    // Q1: it was queued, so the engine is told the client left.
    expect(reports.cancelled).toEqual(['shop/web/1']);
    proxy.route('shop/web/1', 'c-1', echo.port);
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-1']]));
    // An input this proxy does not hold (answered already, or from before a restart) frees its slot too.
    proxy.route('shop/web/99', 'c-1', echo.port);
    await vi.waitFor(() => expect(reports.finished).toContainEqual(['shop/web/99', 'c-1']));
    // A request routed after it does reach the fixture, which logs each one in order.
    const control = send(proxy.port, { path: '/control' });
    await vi.waitFor(() => expect(reports.arrived).toHaveLength(3));
    proxy.route('shop/web/3', 'c-1', echo.port);
    expect((await control).status).toBe(200);
    await echo.server.waitForOutput('request GET /control');
    expect(echo.server.output()).not.toContain('/gone');
  });

  it('answers 200 concurrent requests, each with its own body', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(proxy.port, { method: 'POST', body: `body-${i}`, agent })),
    );
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).body).toBe(`body-${i}`);
    });
    expect(new Set(reports.arrived).size).toBe(200);
    await vi.waitFor(() => expect(reports.finished).toHaveLength(200));
    expect(reports.failed).toEqual([]);
  });

  it('passes a server-sent event stream through event by event; a client that leaves ends it', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const client = await rawConnection(proxy.port);
    client.write('GET /sse HTTP/1.1\r\nHost: shop\r\n\r\n');
    // The stream never ends: each event must arrive while it runs, not when it is over.
    await vi.waitFor(() => expect(client.received()).toContain('data: event 3'), { timeout: 5_000 });
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(client.received()).toContain('content-type: text/event-stream');
    expect(reports.finished).toEqual([]);
    client.end();
    await echo.server.waitForOutput('sse closed');
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-1']]));
  });

  it('streams a body past the hold-back to the container while the client still sends it', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'PUT', path: '/count' });
      req.on('error', reject);
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      // 128 KiB now, then, only once the container has started reading, 4 MiB more.
      req.write(Buffer.alloc(128 * 1024, 1));
      void echo.server.waitForOutput('body started').then(() => {
        for (let i = 0; i < 64; i++) req.write(Buffer.alloc(64 * 1024, 2));
        req.end();
      });
    });
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ bytes: 128 * 1024 + 4 * 1024 * 1024 });
    expect(reports.methods).toEqual(['PUT']);
    await vi.waitFor(() => expect(reports.finished).toHaveLength(1));
  });

  it('answers 413 when a streamed body passes max_body, and reports the input failed for good', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      maxBodyBytes: 256 * 1024,
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/count' });
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // Chunked, so the size is only known while reading.
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(64 * 1024, 3));
      req.end();
    });
    expect(status).toBe(413);
    await vi.waitFor(() => expect(reports.failed).toHaveLength(1));
    expect(reports.failed[0]![2]).toEqual({
      reason: 'its body is larger than max_body',
      unsent: false,
      final: true,
    });
  });

  it('fails an attempt whose container sends nothing within request_timeout', async () => {
    const held = await startEcho({ HOLD: '1' });
    const { proxy, reports } = await startProxy({
      requestTimeoutMs: 300,
      onArrived: (p, inputId) => p.route(inputId, 'c-held', held.port),
    });
    const answer = send(proxy.port, { path: '/slow' });
    await vi.waitFor(() => expect(reports.failed).toHaveLength(1), { timeout: 5_000 });
    // It reached the container: R1 lets the engine retry it only for a method that allows it.
    expect(reports.failed[0]).toEqual([
      'shop/web/1',
      'c-held',
      { reason: 'no response within 0.3s (request_timeout)', unsent: false, final: false },
    ]);
    await held.server.waitForOutput('dropped /slow');
    proxy.answerError('shop/web/1', 502, { error: 'timed out' });
    expect((await answer).status).toBe(502);
  });

  it('tunnels a connection that upgrades to one container, in flight until it closes', async () => {
    const echo = await startEcho();
    const { proxy, reports } = await startProxy({
      onArrived: (p, inputId) => p.route(inputId, 'c-1', echo.port),
    });
    const client = await rawConnection(proxy.port);
    client.write('GET /chat HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
    await vi.waitFor(() => expect(client.received()).toContain('\r\n\r\n'));
    expect(client.received()).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(client.received()).toContain('X-Cutover-Container: c-1');
    client.write('hello through the tunnel');
    await vi.waitFor(() => expect(client.received()).toContain('echo: hello through the tunnel'));
    expect(reports.finished).toEqual([]);
    client.end();
    await vi.waitFor(() => expect(reports.finished).toEqual([['shop/web/1', 'c-1']]));
  });
});
