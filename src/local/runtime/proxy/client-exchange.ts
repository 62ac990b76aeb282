// One request on a client's connection and the answer the proxy writes for it: the request's
// head as llhttp read it, its body as it arrives, and the response framed for this client (the
// container's length when it gave one, else chunked, or until close for an HTTP/1.0 client).
// The head is sent with the first piece of body, so a small answer is one write.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHead } from './llhttp.ts';
import { type InputBody, NO_BODY } from './request-body.ts';

/** How the body of an answer is delimited, as the container's response said. */
export type BodyFraming = 'none' | 'length' | 'unknown';

/** Who reads a request's body as it arrives. */
export interface BodyListener {
  data(chunk: Buffer): void;
  end(): void;
}

/** The connection an exchange lives on (client-connection.ts). */
export interface ExchangeHost {
  readonly socket: Socket;
  /** The answer is complete: the next request on the connection may be served. */
  answered(exchange: ClientExchange, keepAlive: boolean): void;
  /** The body's reader is full (true) or wants more (false). */
  holdBody(hold: boolean): void;
}

// An answer this small is copied into one buffer with its head rather than written as two.
const WHOLE_ANSWER_BYTES = 16 * 1024;

/** Date header values, made at most once a second (as node:http does). */
let dateSecond = -1;
let dateText = '';
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

export class ClientExchange {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly remoteAddress: string;
  /** The request's Connection header: the hop-by-hop names it lists are not forwarded. */
  connection: string | undefined = undefined;
  /** Its body as the proxy holds or streams it (none for most requests). */
  body: InputBody = NO_BODY;
  /** The client has gone (or must get nothing more): nothing more is written to it. */
  clientGone = false;
  /** The client went away before the answer was complete. */
  onClose: (() => void) | null = null;
  readonly #host: ExchangeHost;
  readonly #http10: boolean;
  readonly #keepAlive: boolean;
  #listener: BodyListener | null = null;
  /** Body bytes that came before anyone read them (a pipelined request waiting its turn). */
  #early: Buffer[] | null = null;
  #received = false;
  #head: string | null = null;
  #headersSent = false;
  #chunked = false;
  /** HEAD, 204, 304: whatever body the answer has is not sent. */
  #noBody = false;
  #closeAfter = false;
  #finished = false;

  constructor(host: ExchangeHost, head: RequestHead, remoteAddress: string) {
    this.#host = host;
    this.method = head.method;
    this.url = head.url;
    this.rawHeaders = head.rawHeaders;
    this.remoteAddress = remoteAddress;
    this.#http10 = head.versionMinor === 0;
    this.#keepAlive = head.keepAlive;
  }

  /** The answer's head was written (or is on its way with the first piece of body). */
  get headersSent(): boolean {
    return this.#headersSent;
  }

  /** The whole answer was handed to the connection. */
  get finished(): boolean {
    return this.#finished;
  }

  // ── the request's body ──────────────────────────────────────────────────────────────────

  /** Reads the body: what came already at once, the rest as it arrives. */
  readBody(listener: BodyListener): void {
    this.#listener = listener;
    const early = this.#early;
    this.#early = null;
    for (const chunk of early ?? []) listener.data(chunk);
    if (this.#received) listener.end();
  }

  /** Backpressure from the body's reader: the client's connection stops (or resumes) reading. */
  pauseBody(): void {
    if (!this.#received) this.#host.holdBody(true);
  }

  resumeBody(): void {
    this.#host.holdBody(false);
  }

  /** From the parser: a piece of this request's body. */
  bodyData(chunk: Buffer): void {
    if (this.#listener !== null) this.#listener.data(chunk);
    else if (!this.#finished) {
      this.#early ??= [];
      this.#early.push(chunk);
    }
  }

  /** From the parser: the body is complete. */
  bodyEnd(): void {
    this.#received = true;
    this.#listener?.end();
  }

  /** Whether the whole request came in (a connection is reusable only then). */
  get received(): boolean {
    return this.#received;
  }

  // ── the answer ──────────────────────────────────────────────────────────────────────────

  /** Starts the answer; `headers` are the end-to-end ones, the framing is the proxy's. */
  writeHead(status: number, message: string, headers: string[], framing: BodyFraming, close = false): void {
    if (this.#headersSent || this.clientGone) return;
    this.#headersSent = true;
    let head = `HTTP/1.1 ${status} ${message || STATUS_CODES[status] || 'unknown'}\r\n`;
    let date = false;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i]!;
      if (name.length === 4 && name.toLowerCase() === 'date') date = true;
      head += `${name}: ${headers[i + 1]}\r\n`;
    }
    if (!date) head += `date: ${httpDate()}\r\n`;
    // An answer of unknown length is chunked for an HTTP/1.1 client, and ends with the
    // connection for an HTTP/1.0 one.
    this.#noBody = this.method === 'HEAD' || status === 204 || status === 304;
    const unknown = framing === 'unknown' && !this.#noBody;
    this.#chunked = unknown && !this.#http10;
    this.#closeAfter = close || !this.#keepAlive || (unknown && this.#http10);
    if (this.#chunked) head += 'transfer-encoding: chunked\r\n';
    if (this.#closeAfter) head += 'connection: close\r\n';
    else head += this.#http10 ? 'connection: keep-alive\r\n' : 'keep-alive: timeout=5\r\n';
    this.#head = `${head}\r\n`;
  }

  /**
   * A piece of the body (only valid during the call: what the socket keeps is a copy); false
   * when the client's connection is full (wait for `onceDrain`).
   */
  write(piece: Buffer): boolean {
    if (this.clientGone || this.#finished || this.#noBody) return true;
    const socket = this.#host.socket;
    const chunk = Buffer.from(piece);
    if (this.#head === null && !this.#chunked) return socket.write(chunk);
    socket.cork();
    this.#flushHead(socket);
    let more: boolean;
    if (this.#chunked && chunk.length > 0) {
      socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
      socket.write(chunk);
      more = socket.write('\r\n', 'latin1');
    } else more = socket.write(chunk);
    socket.uncork();
    return more;
  }

  /** The answer is complete, with its last piece when given (only valid during the call). */
  end(last?: Buffer): void {
    if (this.#finished) return;
    const head = this.#head;
    const alone = last === undefined || this.#noBody;
    if (!this.clientGone && head !== null && !this.#chunked && (alone || last.length <= WHOLE_ANSWER_BYTES)) {
      // Most answers: the head, and the body with it, in one buffer and one write.
      this.#head = null;
      if (alone) this.#host.socket.write(head, 'latin1');
      else {
        const whole = Buffer.allocUnsafe(head.length + last.length);
        whole.write(head, 0, 'latin1');
        last.copy(whole, head.length);
        this.#host.socket.write(whole);
      }
    } else if (!this.clientGone) {
      const socket = this.#host.socket;
      socket.cork();
      if (last !== undefined && last.length > 0) this.write(last);
      this.#flushHead(socket);
      if (this.#chunked) socket.write('0\r\n\r\n', 'latin1');
      socket.uncork();
    }
    this.#finished = true;
    // What is left of the request's body is read and dropped (as node:http dumps it).
    this.#listener = null;
    this.#early = null;
    if (!this.#received) this.#host.holdBody(false);
    this.#host.answered(this, !this.#closeAfter);
  }

  /** A whole answer the proxy makes itself (an error, a 413), with a length; `close` ends the connection. */
  answer(status: number, headers: string[], body: string, close = false): void {
    const length = String(Buffer.byteLength(body));
    this.writeHead(status, '', [...headers, 'content-length', length], 'length', close);
    this.end(Buffer.from(body));
  }

  /** `Expect: 100-continue`: the client may send its body now. */
  continue(): void {
    if (!this.#headersSent && !this.clientGone)
      this.#host.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
  }

  onceDrain(listener: () => void): void {
    this.#host.socket.once('drain', listener);
  }

  offDrain(listener: () => void): void {
    this.#host.socket.off('drain', listener);
  }

  /** Cuts the client off (part of an answer went out and no other may follow). */
  destroy(): void {
    this.clientGone = true;
    this.#host.socket.destroy();
  }

  /** From the connection: the client went away. */
  closed(): void {
    const unanswered = !this.#finished;
    this.clientGone = true;
    this.#finished = true;
    if (unanswered) this.onClose?.();
  }

  #flushHead(socket: Socket): void {
    if (this.#head === null) return;
    socket.write(this.#head, 'latin1');
    this.#head = null;
  }
}
