// One try of an HTTP input on one container. The response streams to the client from its first
// byte (the attempt is then committed: SSE arrives event by event, an endless stream delivers).
// Before that, a failure is reported with what R1 needs: whether anything was sent at all, and
// whether the input could be sent again. On the hot path: the attempt itself is what its
// connection and the response parser call back, so a request allocates no listeners of its own.
import type { ClientExchange } from './client-exchange.ts';
import { clientHeaders, upstreamRequestHead } from './headers.ts';
import type { BodySink } from './request-body.ts';
import type { ResponseEvents, ResponseHead } from './response-parser.ts';
import type { ConnectionUser, UpstreamConnection, UpstreamPool } from './upstream.ts';

/** An HTTP input: the client's request and the answer written for it. */
export type HttpInput = ClientExchange;

/** How an attempt ended badly, for the engine (R1). */
export interface AttemptFailure {
  reason: string;
  /** It never reached the container (no connection was ever made). */
  unsent: boolean;
  /** It cannot be sent again: its body streamed, or part of the answer reached the client. */
  final: boolean;
}

export interface AttemptReport {
  finished(): void;
  failed(failure: AttemptFailure): void;
}

/** Where an attempt goes: a container's port, through the proxy's pool, within request_timeout. */
export interface AttemptTarget {
  containerId: string;
  port: number;
  pool: UpstreamPool;
  requestTimeoutMs: number;
}

export class Attempt implements ResponseEvents, ConnectionUser {
  readonly containerId: string;
  readonly #input: HttpInput;
  readonly #report: AttemptReport;
  readonly #connection: UpstreamConnection;
  readonly #timer: NodeJS.Timeout;
  /** Something was written on the connection (a reused one counts from the start). */
  #sent: boolean;
  #bodySent = false;
  #keepAlive = false;
  #committed = false;
  #over = false;
  /** Set while the container's side waits for the client to take what was written (backpressure). */
  #resumeOnDrain: (() => void) | null = null;

  constructor(input: HttpInput, target: AttemptTarget, report: AttemptReport) {
    this.containerId = target.containerId;
    this.#input = input;
    this.#report = report;
    this.#timer = setTimeout(
      () => this.#fail(`no response within ${target.requestTimeoutMs / 1000}s (request_timeout)`),
      target.requestTimeoutMs,
    );
    // A body that will stream cannot be sent again once it did (R1): it never goes on a kept-alive
    // connection the container may be closing just now, only on a new one.
    const connection = target.pool.take(target.port, !input.body.whole);
    this.#connection = connection;
    // A reused connection may have been closed by the container just now: not provably unsent.
    this.#sent = connection.reused;
    connection.parser.expect(input.method, this);
    connection.use(this);
  }

  /** Ends the attempt without reporting it (the engine requeued or answered the input). */
  abort(): void {
    if (this.#over) return;
    this.#close(false);
    if (this.#committed) this.#cutClient();
  }

  /** The client left: once the answer streams, the container's side stops too (an endless stream never ends). */
  clientLeft(): void {
    if (this.#over || !this.#committed) return;
    this.#close(false);
    this.#report.finished();
  }

  /** The connection is up: the request goes out, its body as the client sends it. */
  connected(): void {
    if (this.#over) return;
    this.#sent = true;
    const input = this.#input;
    const socket = this.#connection.socket;
    const body = input.body;
    const head = upstreamRequestHead(
      input.method,
      input.url,
      input.rawHeaders,
      input.connection,
      input.remoteAddress,
      body.length,
    );
    if (body.empty) {
      // Most requests: the head is all there is, in one write.
      socket.write(head, 'latin1');
      this.#bodySent = true;
      return;
    }
    socket.cork();
    socket.write(head, 'latin1');
    body.sendTo(this.#bodySink(body.length === null));
    socket.uncork();
  }

  /** The connection ended; `error` names why when it broke. */
  closed(error: string | null): void {
    if (this.#over) return;
    this.#fail(
      this.#committed
        ? 'connection reset during the response'
        : (error ?? 'connection closed before a response'),
    );
  }

  /** The response head: the attempt is committed, and the client gets it. */
  head(head: ResponseHead): void {
    clearTimeout(this.#timer);
    if (this.#over) return;
    this.#committed = true;
    this.#keepAlive = head.keepAlive;
    const input = this.#input;
    if (input.clientGone) return; // nobody waits for it: read it to its end so the slot frees then
    input.writeHead(
      head.status,
      head.statusMessage,
      clientHeaders(head.rawHeaders, this.containerId),
      head.framing,
    );
  }

  /** A piece of the response body, streamed to the client with backpressure. */
  data(chunk: Buffer): void {
    const input = this.#input;
    if (this.#over || input.clientGone) return;
    if (!input.write(chunk) && this.#resumeOnDrain === null) {
      const socket = this.#connection.socket;
      socket.pause();
      this.#resumeOnDrain = () => {
        this.#resumeOnDrain = null;
        socket.resume();
      };
      input.onceDrain(this.#resumeOnDrain);
    }
  }

  /** The response is complete: the client's answer ends, with its last piece when it came along. */
  end(last: Buffer | null): void {
    if (this.#over) return;
    const input = this.#input;
    if (!input.clientGone) input.end(last ?? undefined);
    this.#close(this.#keepAlive && this.#bodySent);
    this.#report.finished();
  }

  /** The bytes are not HTTP a proxy can pass on. */
  invalid(reason: string): void {
    this.#fail(`the container's response: ${reason}`);
  }

  /** Writes a body that is not all here yet (or is): as is, or chunked when its length is unknown. */
  #bodySink(chunked: boolean): BodySink {
    const socket = this.#connection.socket;
    return {
      write: (chunk) => {
        if (chunk.length === 0) return true;
        if (!chunked) return socket.write(chunk);
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        return socket.write('\r\n', 'latin1');
      },
      end: () => {
        if (chunked) socket.write('0\r\n\r\n', 'latin1');
        this.#bodySent = true;
      },
      once: (event, listener) => socket.once(event, listener),
    };
  }

  #fail(reason: string): void {
    if (this.#over) return;
    this.#close(false);
    const final = this.#committed || !this.#input.body.replayable;
    if (this.#committed) this.#cutClient();
    this.#report.failed({ reason, unsent: !this.#sent, final });
  }

  /** The attempt is over; its connection goes back to the pool only after a clean exchange. */
  #close(reusable: boolean): void {
    this.#over = true;
    clearTimeout(this.#timer);
    this.#input.body.detach();
    // The response may end on a write the client has not taken yet: its 'drain' is then never
    // emitted (the response is finished), so the connection must not wait for it.
    if (this.#resumeOnDrain !== null) this.#input.offDrain(this.#resumeOnDrain);
    this.#resumeOnDrain = null;
    if (reusable) this.#connection.release();
    else this.#connection.discard();
  }

  /** Part of an answer already reached the client, so no other attempt may be shown: cut it. */
  #cutClient(): void {
    this.#input.destroy();
  }
}
