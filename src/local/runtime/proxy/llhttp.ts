// Node's own HTTP/1.1 request parser (llhttp, the one node:http runs), driven directly. The proxy
// parses requests with it instead of a parser of its own, so what it accepts is exactly what
// node:http accepts (strict: no CL+TE, no duplicate or listed Content-Length, no obs-fold, no bare
// CR or LF, header size limited), without the IncomingMessage and ServerResponse streams that
// cost more per request than everything else the proxy does (issue 12's profile). The binding is
// internal to Node, stable since Node 12 and used by node:http itself; this file is the only one
// that touches it, and test/local/runtime/request-smuggling.test.ts checks what it refuses.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/** llhttp's binding as node:http sees it (lib/_http_common.js, src/node_http_parser.cc). */
interface ParserBinding {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Bytes consumed (an upgrade stops at the end of its head), or the parse error. */
  execute(data: Buffer): number | ParserError;
  /** The connection ended: an error when a message was cut short. */
  finish(): ParserError | undefined;
  close(): void;
  /** Reads the stream in C++ from now on (no 'data' events); results go to kOnExecute. */
  consume(handle: object): void;
  unconsume(): void;
  /** The bytes of the last read, when consuming. */
  getCurrentBuffer(): Buffer;
  [callback: number]: unknown;
}

/** A socket's libuv handle, as node:http reaches it (net.Socket's `_handle`). */
interface StreamHandle {
  isStreamBase?: boolean;
  readStop(): number;
  readStart(): number;
}

interface ParserBindingClass {
  new (): ParserBinding;
  REQUEST: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
  kLenientNone: number;
}

/** llhttp's error: `code` is HPE_*, `reason` says what was wrong. */
export interface ParserError extends Error {
  code: string;
  reason: string;
}

const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common') as {
  HTTPParser: ParserBindingClass;
  methods: string[];
};

/** One request head, as llhttp read it. */
export interface RequestHead {
  method: string;
  url: string;
  /** Flat [name, value, …] as sent. */
  rawHeaders: string[];
  /** 1.0 or 1.1 (llhttp refuses others). */
  versionMinor: number;
  /** The connection may carry another request after this one's answer (Connection, version). */
  keepAlive: boolean;
  /** `Connection: Upgrade` or CONNECT: the bytes after the head are not HTTP any more. */
  upgrade: boolean;
}

/** What the parser reports, in order, for each request on a connection. */
export interface RequestEvents {
  head(head: RequestHead): void;
  body(chunk: Buffer): void;
  complete(): void;
}

export function isParserError(value: unknown): value is ParserError {
  return value instanceof Error && typeof (value as ParserError).code === 'string';
}

/** A strict request parser for one client connection. */
export class RequestParser {
  readonly #binding: ParserBinding;
  #handle: StreamHandle | null = null;
  /** Headers and URL of a head llhttp delivered in parts (many headers, or split across reads). */
  #headers: string[] = [];
  #url = '';

  constructor(events: RequestEvents) {
    const binding = new HTTPParser();
    // 0: node's own limit (--max-http-header-size, 16 KiB); kLenientNone: node:http's strictness.
    binding.initialize(HTTPParser.REQUEST, {}, 0, HTTPParser.kLenientNone);
    binding[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      for (const h of headers) this.#headers.push(h);
      this.#url += url;
    };
    binding[HTTPParser.kOnHeadersComplete] = (
      _versionMajor: number,
      versionMinor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
      _statusCode: unknown,
      _statusMessage: unknown,
      upgrade: boolean,
      keepAlive: boolean,
    ): number => {
      let rawHeaders = headers;
      if (rawHeaders === undefined) {
        rawHeaders = this.#headers;
        this.#headers = [];
      }
      const whole = url === undefined || url === '' ? this.#url : url;
      this.#url = '';
      events.head({
        method: methods[method] ?? 'GET',
        url: whole,
        rawHeaders,
        versionMinor,
        keepAlive,
        upgrade,
      });
      return 0;
    };
    binding[HTTPParser.kOnBody] = (chunk: Buffer) => events.body(chunk);
    binding[HTTPParser.kOnMessageComplete] = () => {
      // Trailers arrive through kOnHeaders: they are not passed on.
      this.#headers = [];
      this.#url = '';
      events.complete();
    };
    this.#binding = binding;
  }

  /**
   * Reads the socket itself, in C++, as node:http does: no buffer and no 'data' event per read.
   * `executed` gets what `execute` would have returned, after each read. False when the socket
   * has no handle that allows it (then feed `execute` from 'data' events).
   */
  consume(socket: Socket, executed: (result: number | ParserError) => void): boolean {
    const handle = (socket as unknown as { _handle?: StreamHandle | null })._handle;
    if (!handle?.isStreamBase) return false;
    this.#binding[HTTPParser.kOnExecute] = executed;
    this.#binding.consume(handle);
    this.#handle = handle;
    return true;
  }

  /** Stops (or restarts) reading the consumed socket: backpressure (socket.pause does not reach it). */
  hold(on: boolean): void {
    if (on) this.#handle?.readStop();
    else this.#handle?.readStart();
  }

  /** Hands the socket back to its stream (an upgrade): returns the bytes of the last read after `consumed`. */
  release(consumed: number): Buffer {
    if (this.#handle === null) return Buffer.alloc(0);
    const rest = Buffer.from(this.#binding.getCurrentBuffer().subarray(consumed));
    this.#binding.unconsume();
    this.#handle = null;
    return rest;
  }

  /** Whether the socket is read by the parser (else by `execute`). */
  get consuming(): boolean {
    return this.#handle !== null;
  }

  /** Parses what arrived; returns the bytes consumed or the error that makes the request bad. */
  execute(data: Buffer): number | ParserError {
    return this.#binding.execute(data);
  }

  /** The client closed its side: an error when it cut a request short. */
  finish(): ParserError | undefined {
    return this.#binding.finish();
  }

  /** Frees the parser, once the call stack it may be in has unwound (as node:http frees its own). */
  close(): void {
    if (this.#handle !== null) {
      this.#binding.unconsume();
      this.#handle = null;
    }
    const binding = this.#binding;
    setImmediate(() => binding.close());
  }
}
