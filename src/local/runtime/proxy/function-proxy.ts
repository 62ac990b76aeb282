// The local platform's proxy for one function of an app. It decides nothing: every request
// becomes an input the engine is told about, and it waits for the engine's `route` or
// `answer-error` effect. Whatever the engine does with retries (R1, S2 requeue, H1
// replacement), the client gets one answer: an attempt shows itself to the client only from its
// container's first response byte on, and a later attempt never follows a shown one.
import type { Socket } from 'node:net';
import { answerJson, answerRaw, expectationFailed, tooLarge } from './answers.ts';
import { Attempt, type AttemptFailure, type HttpInput } from './attempt.ts';
import type { ClientExchange } from './client-exchange.ts';
import { ClientListener } from './client-listener.ts';
import { requestFraming } from './headers.ts';
import type { RequestHead } from './llhttp.ts';
import { RequestBody } from './request-body.ts';
import { Tunnel, type UpgradeInput } from './tunnel.ts';
import { UpstreamPool } from './upstream.ts';

/** What the proxy reports; the daemon turns these into engine events. Never called synchronously from a method. */
export interface ProxyHooks {
  /** A request became an input (input-arrived): its body is held, or streams once routed. */
  arrived(inputId: string, method: string): void;
  /** The attempt on that container completed (input-finished). */
  finished(inputId: string, containerId: string): void;
  /** The attempt failed (input-failed); the engine decides what next (R1). */
  failed(inputId: string, containerId: string, failure: AttemptFailure): void;
  /** Q1: the client left while its input waited for a container (input-cancelled). */
  cancelled(inputId: string): void;
}

/** The function's limits the proxy enforces itself. */
export interface ProxyLimits {
  /** Larger request bodies are answered 413. */
  maxBodyBytes: number;
  /** An attempt without a response head after this long fails. */
  requestTimeoutMs: number;
}

/** How to run one function's proxy. */
export interface FunctionProxyOptions {
  /** 0 lets the kernel assign one. */
  port: number;
  hooks: ProxyHooks;
  /** Input ids are `${idPrefix}${counter}`. */
  idPrefix: string;
  limits?: Partial<ProxyLimits>;
  /** A socket the daemon's supervisor bound and holds (A1): listened on instead of `port`. */
  handle?: object;
}

const DEFAULT_LIMITS: ProxyLimits = { maxBodyBytes: 10 * 1024 * 1024, requestTimeoutMs: 60_000 };

/** One input the proxy holds: an HTTP request or an upgrade, and its open attempt. */
interface Pending {
  http: HttpInput | null;
  upgrade: UpgradeInput | null;
  attempt: Attempt | Tunnel | null;
}

/** A proxy on 127.0.0.1 for one function; the engine routes each input it reports. */
export class FunctionProxy {
  readonly #hooks: ProxyHooks;
  readonly #idPrefix: string;
  readonly #requestedPort: number;
  readonly #handle: object | undefined;
  readonly #listener: ClientListener;
  readonly #pool = new UpstreamPool();
  readonly #pending = new Map<string, Pending>();
  #limits: ProxyLimits;
  #counter = 0;
  #boundPort: number | null = null;

  constructor(o: FunctionProxyOptions) {
    this.#hooks = o.hooks;
    this.#idPrefix = o.idPrefix;
    this.#requestedPort = o.port;
    this.#handle = o.handle;
    this.#limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.#listener = new ClientListener({
      request: (exchange) => this.#accept(exchange),
      upgrade: (head, socket, rest) => this.#acceptUpgrade(head, socket, rest),
    });
  }

  /** The bound port once listening; before that, the port asked for. */
  get port(): number {
    return this.#boundPort ?? this.#requestedPort;
  }

  /** The limits of the version now rolling out (a port serves one function across versions). */
  configure(limits: Partial<ProxyLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
  }

  /** Starts listening on 127.0.0.1; resolves to the bound port. */
  async listen(): Promise<number> {
    this.#boundPort = await this.#listener.listen(this.#requestedPort, this.#handle);
    return this.#boundPort;
  }

  /** The engine's `route` effect: send the input to the container listening on containerPort. */
  route(inputId: string, containerId: string, containerPort: number): void {
    const pending = this.#pending.get(inputId);
    // The engine requeued it (S2, drain timeout): the old attempt's answer must never reach the client.
    pending?.attempt?.abort();
    if (pending !== undefined) pending.attempt = null;
    if (pending === undefined || (pending.http ?? pending.upgrade)!.clientGone) {
      // Nobody is waiting for an answer (the client left, or the input predates this proxy):
      // the container is spared the work and the engine frees the slot at once.
      this.#pending.delete(inputId);
      setImmediate(() => this.#hooks.finished(inputId, containerId));
      return;
    }
    const report = {
      finished: () => {
        this.#pending.delete(inputId);
        this.#hooks.finished(inputId, containerId);
      },
      failed: (failure: AttemptFailure) => {
        if (pending.attempt?.containerId === containerId) pending.attempt = null;
        this.#hooks.failed(inputId, containerId, failure);
      },
    };
    const target = {
      containerId,
      port: containerPort,
      pool: this.#pool,
      requestTimeoutMs: this.#limits.requestTimeoutMs,
    };
    if (pending.http !== null && !pending.http.body.replayable) {
      // R1: its body already streamed to another container; it cannot be sent again.
      const reason = 'its body already streamed to a container that went away';
      setImmediate(() => report.failed({ reason, unsent: true, final: true }));
      return;
    }
    pending.attempt =
      pending.http !== null
        ? new Attempt(pending.http, target, report)
        : new Tunnel(pending.upgrade!, target, report);
  }

  /** The engine's `answer-error` effect: answer the client with this status and JSON body. */
  answerError(inputId: string, status: number, body: object, headers: Record<string, string> = {}): void {
    const pending = this.#pending.get(inputId);
    if (pending === undefined) return;
    this.#pending.delete(inputId);
    pending.attempt?.abort();
    if (pending.http !== null) {
      if (!pending.http.clientGone) answerJson(pending.http, status, body, headers);
    } else if (!pending.upgrade!.clientGone) {
      answerRaw(pending.upgrade!.socket, status, body, headers);
    }
  }

  /** The container is being terminated: drop its attempts without reporting (the engine requeued them). */
  abortContainer(containerId: string): void {
    for (const pending of this.#pending.values()) {
      if (pending.attempt?.containerId === containerId) {
        pending.attempt.abort();
        pending.attempt = null;
      }
    }
  }

  /** Takes no new connections; those open are still served (a draining daemon, A1). */
  stopAccepting(): void {
    this.#listener.stopAccepting();
  }

  /** Stops listening, drops every connection and attempt. Inputs still pending are not reported. */
  async close(): Promise<void> {
    for (const pending of this.#pending.values()) {
      pending.attempt?.abort();
      pending.upgrade?.socket.destroy();
    }
    this.#pending.clear();
    this.#pool.destroy();
    await this.#listener.close();
  }

  #accept(input: ClientExchange): void {
    const inputId = `${this.#idPrefix}${++this.#counter}`;
    const maxBodyBytes = this.#limits.maxBodyBytes;
    const framing = requestFraming(input.rawHeaders);
    input.connection = framing.connection;
    if (framing.length !== null && framing.length > maxBodyBytes) {
      tooLarge(input, maxBodyBytes);
      return;
    }
    if (framing.expect !== undefined) {
      // As node:http does: 100-continue is answered at once, any other expectation refused.
      if (framing.expect !== '100-continue') {
        expectationFailed(input);
        return;
      }
      input.continue();
    }
    input.onClose = () => {
      const pending = this.#pending.get(inputId);
      if (pending === undefined) return;
      if (pending.attempt === null) {
        // Q1: it was waiting for a container: the engine takes it out of the queue.
        this.#pending.delete(inputId);
        this.#hooks.cancelled(inputId);
      } else if (pending.attempt instanceof Attempt) {
        pending.attempt.clientLeft();
      }
    };
    if (!framing.chunked && (framing.length ?? 0) === 0) {
      // Most requests (GET, HEAD, DELETE) have no body: the input goes to the engine at once.
      this.#arrived(inputId, input);
      return;
    }
    const body = new RequestBody(input, {
      maxBodyBytes,
      declaredLength: framing.length,
      chunked: framing.chunked,
      onReady: () => {
        if (!input.clientGone) this.#arrived(inputId, input);
      },
      onTooLarge: () => {
        // Streaming to a container already: that attempt ends, and the input fails (it cannot be sent again).
        const pending = this.#pending.get(inputId);
        this.#pending.delete(inputId);
        const containerId = pending?.attempt?.containerId;
        pending?.attempt?.abort();
        if (!input.headersSent && !input.clientGone) tooLarge(input, maxBodyBytes);
        if (containerId !== undefined) {
          const failure = { reason: `its body is larger than max_body`, unsent: false, final: true };
          this.#hooks.failed(inputId, containerId, failure);
        }
      },
    });
    input.body = body;
    body.start();
  }

  /** The request (its body held, or ready to stream) becomes an input the engine routes. */
  #arrived(inputId: string, input: HttpInput): void {
    this.#pending.set(inputId, { http: input, upgrade: null, attempt: null });
    this.#hooks.arrived(inputId, input.method);
  }

  #acceptUpgrade(req: RequestHead, socket: Socket, head: Buffer): void {
    const inputId = `${this.#idPrefix}${++this.#counter}`;
    const input: UpgradeInput = {
      req,
      socket,
      head,
      remoteAddress: socket.remoteAddress ?? '127.0.0.1',
      clientGone: false,
    };
    this.#pending.set(inputId, { http: null, upgrade: input, attempt: null });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      input.clientGone = true;
      if (this.#pending.get(inputId)?.attempt === null) {
        this.#pending.delete(inputId);
        this.#hooks.cancelled(inputId);
      }
    });
    this.#hooks.arrived(inputId, req.method);
  }
}
