// The local platform's proxy for one function of an app. It decides nothing: every request
// becomes an input the engine is told about, and it waits for the engine's `route` or
// `answer-error` effect. Whatever the engine does with retries (S2 requeue, H1 replacement), the
// client gets exactly one answer: an attempt's response is held back until it is complete.
import {
  Agent,
  type ClientRequest,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';

/** What the proxy reports; the daemon turns these into engine events. Never called synchronously from a method. */
export interface ProxyHooks {
  /** A request was accepted and fully buffered (input-arrived). */
  arrived(inputId: string): void;
  /** The attempt on that container completed and was sent to the client (input-finished). */
  finished(inputId: string, containerId: string): void;
  /** The attempt failed before a complete response (input-failed); the engine decides what next. */
  failed(inputId: string, containerId: string, reason: string): void;
}

/** How to run one function's proxy. */
export interface FunctionProxyOptions {
  /** 0 lets the kernel assign one. */
  port: number;
  hooks: ProxyHooks;
  /** Input ids are `${idPrefix}${counter}`. */
  idPrefix: string;
  /** Larger request bodies are answered 413 and never become inputs; default 10 MiB. */
  maxBodyBytes?: number;
  /** A socket the daemon's supervisor bound and holds (A1): listened on instead of `port`. */
  handle?: object;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
// Up to this much of an upstream response is held back so a failed attempt can still be
// retried unseen; past it the response streams to the client and the attempt is committed.
const RESPONSE_BUFFER_BYTES = 1024 * 1024;
// A connection pooled by the agent may have been closed by the container meanwhile; such a
// failure says nothing about the container, so it is retried on a fresh connection first.
const STALE_SOCKET_RETRIES = 3;

// RFC 9110 §7.6.1: these describe one connection and are not forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** One buffered request waiting for (or on) a container. */
interface PendingInput {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  remoteAddress: string;
  res: ServerResponse;
  /** The client disconnected before its answer: attempts still run, nothing is written. */
  clientGone: boolean;
  attempt: Attempt | null;
}

/** One try of an input on one container. */
interface Attempt {
  containerId: string;
  upstream: ClientRequest | null;
  /** Response bytes have been sent to the client: the attempt can no longer be retried unseen. */
  committed: boolean;
  /** Finished, failed or aborted: later upstream events are ignored. */
  over: boolean;
}

/** A proxy on 127.0.0.1 for one function; the engine routes each input it reports. */
export class FunctionProxy {
  readonly #hooks: ProxyHooks;
  readonly #idPrefix: string;
  readonly #maxBodyBytes: number;
  readonly #requestedPort: number;
  readonly #handle: object | undefined;
  readonly #server: Server;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #pending = new Map<string, PendingInput>();
  #counter = 0;
  #boundPort: number | null = null;

  constructor(o: FunctionProxyOptions) {
    this.#hooks = o.hooks;
    this.#idPrefix = o.idPrefix;
    this.#maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#requestedPort = o.port;
    this.#handle = o.handle;
    this.#server = createServer((req, res) => this.#accept(req, res));
  }

  /** The bound port once listening; before that, the port asked for. */
  get port(): number {
    return this.#boundPort ?? this.#requestedPort;
  }

  /** Starts listening on 127.0.0.1; resolves to the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      const listening = () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('proxy: no TCP address'));
          return;
        }
        this.#boundPort = address.port;
        resolve(address.port);
      };
      if (this.#handle) this.#server.listen(this.#handle, listening);
      else this.#server.listen(this.#requestedPort, '127.0.0.1', listening);
    });
  }

  /** The engine's `route` effect: forward the input to the container listening on containerPort. */
  route(inputId: string, containerId: string, containerPort: number): void {
    const input = this.#pending.get(inputId);
    // The engine requeued it (S2, drain timeout): the old attempt's answer must never reach the client.
    if (input !== undefined && input.attempt !== null) this.#abortAttempt(input);
    if (input === undefined || input.clientGone) {
      // Nobody is waiting for an answer (the client left, or the input predates this proxy):
      // the container is spared the work and the engine frees the slot at once.
      this.#pending.delete(inputId);
      setImmediate(() => this.#hooks.finished(inputId, containerId));
      return;
    }
    const attempt: Attempt = { containerId, upstream: null, committed: false, over: false };
    input.attempt = attempt;
    this.#forward(inputId, input, attempt, containerPort, STALE_SOCKET_RETRIES);
  }

  /** The engine's `answer-error` effect: answer the client with this status and JSON body. */
  answerError(inputId: string, status: number, body: object): void {
    const input = this.#pending.get(inputId);
    if (input === undefined) return;
    this.#pending.delete(inputId);
    if (input.attempt !== null) this.#abortAttempt(input);
    if (input.clientGone) return;
    const text = JSON.stringify(body);
    input.res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    input.res.end(text);
  }

  /** The container is being terminated: drop its attempts without reporting (the engine requeued them). */
  abortContainer(containerId: string): void {
    for (const input of this.#pending.values()) {
      if (input.attempt?.containerId === containerId) this.#abortAttempt(input);
    }
  }

  /** Takes no new connections; those open are still served (a draining daemon, A1). */
  stopAccepting(): void {
    if (this.#server.listening) this.#server.close();
  }

  /** Stops listening, drops every connection and attempt. Inputs still pending are not reported. */
  async close(): Promise<void> {
    for (const input of this.#pending.values()) {
      if (input.attempt !== null) this.#abortAttempt(input);
    }
    this.#pending.clear();
    if (!this.#server.listening) {
      this.#server.closeAllConnections();
      this.#agent.destroy();
      return;
    }
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    this.#agent.destroy();
    await closed;
  }

  #accept(req: IncomingMessage, res: ServerResponse): void {
    const inputId = `${this.#idPrefix}${++this.#counter}`;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let complete = false;
    req.on('error', () => {
      // The client went away mid-body: it never became an input.
    });
    res.on('error', () => {
      // A write to a client that left; 'close' below records it.
    });

    const refuse = () => {
      tooLarge = true;
      chunks.length = 0;
      // Answered at once; the rest of the body is read and dropped so the connection stays usable.
      const text = JSON.stringify({ error: 'request body too large', limitBytes: this.#maxBodyBytes });
      res.writeHead(413, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    };

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.#maxBodyBytes) refuse();
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > this.#maxBodyBytes) {
        refuse();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      complete = true;
      if (tooLarge || res.destroyed) return;
      const input: PendingInput = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
        remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
        res,
        clientGone: false,
        attempt: null,
      };
      this.#pending.set(inputId, input);
      res.on('close', () => {
        if (!res.writableFinished) input.clientGone = true;
      });
      this.#hooks.arrived(inputId);
    });
    res.on('close', () => {
      if (!complete) req.resume();
    });
  }

  #forward(inputId: string, input: PendingInput, attempt: Attempt, port: number, staleRetries: number): void {
    const headers = withoutHopByHop(input.headers);
    const forwardedFor = input.headers['x-forwarded-for'];
    headers['x-forwarded-for'] =
      forwardedFor === undefined ? input.remoteAddress : `${forwardedFor}, ${input.remoteAddress}`;
    headers['content-length'] = String(input.body.length);
    if (input.body.length === 0 && (input.method === 'GET' || input.method === 'HEAD')) {
      delete headers['content-length'];
    }

    const upstream = request({
      host: '127.0.0.1',
      port,
      method: input.method,
      path: input.url,
      headers,
      agent: this.#agent,
    });
    attempt.upstream = upstream;
    let responded = false;

    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (attempt.over || attempt.upstream !== upstream) return;
      if (!responded && upstream.reusedSocket && error.code === 'ECONNRESET' && staleRetries > 0) {
        this.#forward(inputId, input, attempt, port, staleRetries - 1);
        return;
      }
      if (!responded) this.#fail(inputId, input, attempt, error.code ?? error.message);
    });

    upstream.on('response', (upstreamRes) => {
      responded = true;
      if (attempt.over) {
        upstreamRes.resume();
        return;
      }
      const held: Buffer[] = [];
      let heldBytes = 0;

      const commit = () => {
        // Past the buffer: the client sees this attempt from now on (it can no longer be retried unseen).
        attempt.committed = true;
        if (input.clientGone) return;
        input.res.writeHead(
          upstreamRes.statusCode ?? 502,
          upstreamRes.statusMessage,
          responseHeaders(upstreamRes, attempt.containerId, null),
        );
        for (const chunk of held) input.res.write(chunk);
        held.length = 0;
      };

      upstreamRes.on('data', (chunk: Buffer) => {
        if (attempt.over) return;
        if (!attempt.committed) {
          held.push(chunk);
          heldBytes += chunk.length;
          if (heldBytes > RESPONSE_BUFFER_BYTES) commit();
          return;
        }
        if (input.clientGone) return;
        if (!input.res.write(chunk)) {
          // Backpressure from a slow client; a client that leaves releases it too.
          upstreamRes.pause();
          const resume = () => {
            input.res.off('drain', resume);
            input.res.off('close', resume);
            upstreamRes.resume();
          };
          input.res.on('drain', resume);
          input.res.on('close', resume);
        }
      });

      upstreamRes.on('end', () => {
        if (attempt.over) return;
        attempt.over = true;
        this.#pending.delete(inputId);
        if (!input.clientGone) {
          if (attempt.committed) {
            input.res.end();
          } else {
            const body = Buffer.concat(held);
            input.res.writeHead(
              upstreamRes.statusCode ?? 502,
              upstreamRes.statusMessage,
              responseHeaders(
                upstreamRes,
                attempt.containerId,
                bodyLengthFor(input.method, upstreamRes, body),
              ),
            );
            input.res.end(body);
          }
        }
        this.#hooks.finished(inputId, attempt.containerId);
      });

      upstreamRes.on('error', () => {
        // 'close' below decides: the response did not complete.
      });
      upstreamRes.on('close', () => {
        if (attempt.over || upstreamRes.complete) return;
        this.#fail(inputId, input, attempt, 'connection reset during the response');
      });
    });

    upstream.end(input.body);
  }

  #fail(inputId: string, input: PendingInput, attempt: Attempt, reason: string): void {
    attempt.over = true;
    input.attempt = null;
    attempt.upstream?.destroy();
    if (attempt.committed) {
      // Part of this answer already reached the client, so no retry can be shown to it: the
      // client sees a truncated response, and the engine's next route finishes at once.
      this.#dropClient(input);
    }
    this.#hooks.failed(inputId, attempt.containerId, reason);
  }

  /** Ends the input's open attempt without reporting anything. */
  #abortAttempt(input: PendingInput): void {
    const attempt = input.attempt;
    input.attempt = null;
    if (attempt === null || attempt.over) return;
    attempt.over = true;
    attempt.upstream?.destroy();
    if (attempt.committed) this.#dropClient(input);
  }

  #dropClient(input: PendingInput): void {
    input.clientGone = true;
    input.res.destroy();
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(HOP_BY_HOP);
  for (const token of String(headers.connection ?? '').split(',')) {
    if (token.trim() !== '') named.add(token.trim().toLowerCase());
  }
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !named.has(name)) kept[name] = value;
  }
  return kept;
}

/** The upstream's headers as sent to the client, with the container that answered. */
function responseHeaders(
  upstreamRes: IncomingMessage,
  containerId: string,
  contentLength: number | null,
): string[] {
  const named = new Set(HOP_BY_HOP);
  for (const token of String(upstreamRes.headers.connection ?? '').split(',')) {
    if (token.trim() !== '') named.add(token.trim().toLowerCase());
  }
  if (contentLength !== null) named.add('content-length');
  const flat: string[] = [];
  const raw = upstreamRes.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (!named.has(name.toLowerCase()) && name.toLowerCase() !== 'x-cutover-container')
      flat.push(name, raw[i + 1]!);
  }
  if (contentLength !== null) flat.push('content-length', String(contentLength));
  flat.push('x-cutover-container', containerId);
  return flat;
}

/** The content-length for a fully buffered response, or null to keep the upstream's own. */
function bodyLengthFor(method: string, upstreamRes: IncomingMessage, body: Buffer): number | null {
  const status = upstreamRes.statusCode ?? 502;
  // HEAD, 204 and 304 carry no body; the upstream's content-length (if any) stays as it said.
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) return null;
  return body.length;
}
