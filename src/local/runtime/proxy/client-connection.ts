// One client connection to a function's proxy: bytes in, requests out (parsed by llhttp as
// node:http parses them), answers back in request order. It keeps node:http's rules for the
// connection itself: a request llhttp refuses gets 400 (431 for a head too large) and the
// connection closes; pipelined requests are answered one after the other; an idle keep-alive
// connection closes after 5 s, and a request head must be complete within 60 s.
import type { Socket } from 'node:net';
import { ClientExchange, type ExchangeHost } from './client-exchange.ts';
import { isParserError, type ParserError, type RequestHead, RequestParser } from './llhttp.ts';

/** Who serves what the connection reads. */
export interface ClientOwner {
  /** A request's turn has come: its head is here, its body follows through the exchange. */
  request(exchange: ClientExchange): void;
  /** A request asked to upgrade (WebSocket): the socket and the bytes after its head are the owner's now. */
  upgrade(head: RequestHead, socket: Socket, rest: Buffer): void;
  /** The connection is gone. */
  closed(connection: ClientConnection): void;
}

/** node:http's defaults (keepAliveTimeout, headersTimeout, requestTimeout). */
export const CONNECTION_LIMITS = { keepAliveMs: 5_000, headersMs: 60_000, requestMs: 300_000 };

/** A clock read once per sweep, not once per request. */
export interface CoarseClock {
  now: number;
}

export class ClientConnection implements ExchangeHost {
  readonly socket: Socket;
  readonly #owner: ClientOwner;
  readonly #clock: CoarseClock;
  /** Made at the first byte: a connection that never sends costs no parser. */
  #parser: RequestParser | null = null;
  readonly #remoteAddress: string;
  /** Requests not answered yet, in order; the first is served once `#serving`. */
  readonly #exchanges: ClientExchange[] = [];
  #serving = false;
  /** The request whose body is being read (it may be answered already). */
  #receiving: ClientExchange | null = null;
  #upgrading: RequestHead | null = null;
  /** Waiting for a request (idle), reading a head, or serving one. */
  #phase: 'idle' | 'head' | 'busy' = 'head';
  #since: number;
  /** The last answer went out, or the request was refused: what comes next is discarded. */
  #closing = false;
  #holdForBody = false;
  #holdForPipeline = false;
  #paused = false;

  constructor(socket: Socket, owner: ClientOwner, clock: CoarseClock) {
    this.socket = socket;
    this.#owner = owner;
    this.#clock = clock;
    this.#since = clock.now;
    this.#remoteAddress = socket.remoteAddress ?? '127.0.0.1';
    socket.setNoDelay(true);
    const first = (chunk: Buffer) => {
      socket.off('data', first);
      const parser = new RequestParser({
        head: (head) => this.#head(head),
        body: (piece) => this.#receiving?.bodyData(piece),
        complete: () => this.#complete(),
      });
      this.#parser = parser;
      // From now on read by llhttp in C++ (as node:http reads), else through 'data' events.
      if (!parser.consume(socket, (result) => this.#executed(result, null)))
        socket.on('data', (piece: Buffer) => this.#read(piece));
      this.#read(chunk);
    };
    socket.on('data', first);
    socket.on('end', () => socket.destroy()); // a client that half-closes has left (as node:http sees it)
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.#closed());
  }

  /** Enforces the timeouts: called about once a second with the clock just read. */
  sweep(limits: typeof CONNECTION_LIMITS): void {
    const waited = this.#clock.now - this.#since;
    // A connection that got its last answer but whose client keeps it open (and sending) goes too.
    if ((this.#phase === 'idle' || this.#closing) && waited > limits.keepAliveMs) this.socket.destroy();
    else if (this.#phase === 'head' && waited > limits.headersMs) this.#refuse(408);
    else if (this.#receiving !== null && waited > limits.requestMs) this.#refuse(408);
  }

  // ── ExchangeHost ────────────────────────────────────────────────────────────────────────

  answered(exchange: ClientExchange, keepAlive: boolean): void {
    if (this.#exchanges[0] === exchange) {
      this.#exchanges.shift();
      this.#serving = false;
    }
    if (!keepAlive) {
      this.#stop();
      this.socket.end();
      return;
    }
    if (this.#exchanges.length > 0) {
      this.#serveNext();
      return;
    }
    this.#setHold('pipeline', false);
    if (this.#receiving === null) this.#idle();
  }

  holdBody(hold: boolean): void {
    this.#setHold('body', hold);
  }

  // ── reading ─────────────────────────────────────────────────────────────────────────────

  #read(chunk: Buffer): void {
    if (this.#closing) return;
    if (this.#phase === 'idle') {
      this.#phase = 'head';
      this.#since = this.#clock.now;
    }
    this.#executed(this.#parser!.execute(chunk), chunk);
  }

  /** After a read was parsed (`chunk` when it came through a 'data' event). */
  #executed(result: number | ParserError, chunk: Buffer | null): void {
    if (this.#closing) return;
    if (isParserError(result)) {
      this.#refuse(refusalStatus(result));
      return;
    }
    if (this.#phase === 'idle') {
      // Part of a head came (a whole one would have made the connection busy).
      this.#phase = 'head';
      this.#since = this.#clock.now;
    }
    const upgrading = this.#upgrading;
    if (upgrading !== null) {
      // The bytes after the head belong to the new protocol: the connection is the owner's now.
      this.#closing = true;
      const socket = this.socket;
      const rest = chunk === null ? this.#parser!.release(result) : chunk.subarray(result);
      socket.pause();
      for (const event of ['data', 'end', 'close', 'error']) socket.removeAllListeners(event);
      this.#parser!.close();
      this.#owner.closed(this);
      this.#owner.upgrade(upgrading, socket, rest);
      return;
    }
    // Served only once all that came with its head parsed cleanly: a request refused in the
    // same read never reaches the owner.
    this.#serveNext();
  }

  #head(head: RequestHead): void {
    if (this.#closing) return;
    this.#phase = 'busy';
    this.#since = this.#clock.now;
    if (head.upgrade) {
      // CONNECT tunnels to anywhere: not a proxy for a function's containers.
      if (head.method === 'CONNECT' || this.#exchanges.length > 0)
        this.#refuse(head.method === 'CONNECT' ? 405 : 400);
      else this.#upgrading = head;
      return;
    }
    const exchange = new ClientExchange(this, head, this.#remoteAddress);
    this.#receiving = exchange;
    this.#exchanges.push(exchange);
    // Pipelined: its answer waits for those before it, and the client for room.
    if (this.#exchanges.length > 1) this.#setHold('pipeline', true);
  }

  /** The first request not served yet gets its turn (when the one before it is answered). */
  #serveNext(): void {
    const next = this.#exchanges[0];
    if (this.#serving || next === undefined || this.#closing) return;
    this.#serving = true;
    this.#owner.request(next);
  }

  #complete(): void {
    const exchange = this.#receiving;
    this.#receiving = null;
    if (exchange === null) return; // an upgrade's head
    exchange.bodyEnd();
    this.#setHold('body', false);
    if (this.#exchanges.length === 0 && !this.#closing) this.#idle();
  }

  #idle(): void {
    this.#phase = 'idle';
    this.#since = this.#clock.now;
  }

  // ── ending ──────────────────────────────────────────────────────────────────────────────

  /** llhttp refused the request (or it timed out): answer why when nothing else is owed, then close. */
  #refuse(status: number): void {
    if (this.#closing) return;
    // An answer under way cannot be followed by another: then the connection is just cut.
    const owed = this.#serving;
    this.#stop();
    if (owed) this.socket.destroy();
    else
      this.socket.end(
        `HTTP/1.1 ${status} ${REFUSALS[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
      );
  }

  /** No more requests are read from this connection. */
  #stop(): void {
    this.#closing = true;
    this.#since = this.#clock.now;
    this.#upgrading = null;
    this.#setHold('body', false);
    this.#setHold('pipeline', false);
  }

  #closed(): void {
    // The socket is gone: nothing to hold or release on it any more.
    this.#closing = true;
    this.#upgrading = null;
    this.#parser?.close();
    const receiving = this.#receiving;
    this.#receiving = null;
    for (const exchange of this.#exchanges.splice(0)) exchange.closed();
    receiving?.closed();
    this.#owner.closed(this);
  }

  #setHold(reason: 'body' | 'pipeline', hold: boolean): void {
    if (reason === 'body') this.#holdForBody = hold;
    else this.#holdForPipeline = hold;
    const pause = this.#holdForBody || this.#holdForPipeline;
    if (pause === this.#paused) return;
    this.#paused = pause;
    if (this.#parser?.consuming) this.#parser.hold(pause);
    else if (pause) this.socket.pause();
    else this.socket.resume();
  }
}

const REFUSALS: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/** node:http's answer to each parse error. */
function refusalStatus(error: ParserError): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return 413;
  return 400;
}
