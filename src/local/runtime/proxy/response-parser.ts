// Reads an HTTP/1.1 response off an upstream connection: the head, then the body by its framing
// (Content-Length, chunked, or until the connection closes). Written for the proxy's hot path:
// no objects per header beyond the flat name/value list the client's response is built from.

/** A response head as the container sent it. */
export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** Flat [name, value, name, value, …] as sent. */
  rawHeaders: string[];
  /** The connection can carry another request once this response is complete. */
  keepAlive: boolean;
  /** How its body is delimited: none, a Content-Length, or chunked / until close (unknown). */
  framing: 'none' | 'length' | 'unknown';
}

export interface ResponseEvents {
  head(head: ResponseHead): void;
  data(chunk: Buffer): void;
  /** The body is complete; `last` is its final piece when it came with the end (else null). */
  end(last: Buffer | null): void;
  /** The bytes are not HTTP a proxy can pass on. */
  invalid(reason: string): void;
}

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

const MAX_HEAD_BYTES = 64 * 1024;
// RFC 9110 §5.1 field names; §5.5 field values (no CR, LF, NUL or other controls but HTAB).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * One response at a time; `expect` readies it for the next request on the same connection. The
 * bytes pushed, and the pieces of body it passes on, are only valid during the call.
 */
export class ResponseParser {
  #events: ResponseEvents | null = null;
  #noBody = false;
  #pending: Buffer | null = null;
  #framing: Framing | null = null;
  // Chunked state: bytes left in the current chunk, and where in the chunk framing we are.
  #chunkLeft = 0;
  #chunkState: 'size' | 'data' | 'data-crlf' | 'trailers' = 'size';

  /** The next response answers a request of `method`. */
  expect(method: string, events: ResponseEvents): void {
    this.#events = events;
    this.#noBody = method === 'HEAD';
    this.#pending = null;
    this.#framing = null;
    this.#chunkState = 'size';
  }

  /** Whether a response is under way and needs the connection's end to complete (read until close). */
  get endsAtClose(): boolean {
    return this.#framing?.kind === 'close';
  }

  /** The connection ended: a close-delimited body is complete. */
  closed(): void {
    if (this.#framing?.kind === 'close') this.#finish();
  }

  push(chunk: Buffer): void {
    let data = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = null;
    while (data.length > 0 && this.#events !== null) {
      if (this.#framing === null) {
        const end = data.indexOf(CRLFCRLF);
        if (end < 0) {
          if (data.length > MAX_HEAD_BYTES) this.#invalid('response head too large');
          else this.#pending = Buffer.from(data); // kept past this read: copied
          return;
        }
        if (!this.#readHead(data.toString('latin1', 0, end))) return;
        data = data.subarray(end + 4);
        if (this.#framing === null) continue; // an interim 1xx response: the real one follows
        if ((this.#framing as Framing).kind === 'none') {
          this.#finish();
          return;
        }
        continue;
      }
      data = this.#body(data);
    }
  }

  #readHead(text: string): boolean {
    // The status line, read in place: `HTTP/1.x NNN[ reason]`.
    const statusEnd = lineEnd(text, 0);
    const code = statusCode(text, statusEnd);
    const statusMessage = statusEnd > 13 ? text.slice(13, statusEnd) : '';
    if (code === null || INVALID_VALUE.test(statusMessage)) {
      this.#invalid('not an HTTP/1.x response');
      return false;
    }
    const rawHeaders: string[] = [];
    let length: number | null = null;
    let chunked = false;
    let keepAlive = text.charCodeAt(7) === 0x31; // HTTP/1.1 keeps the connection unless told
    for (let at = statusEnd + 2; at < text.length; ) {
      const end = lineEnd(text, at);
      const colon = text.indexOf(':', at);
      const name = colon > at && colon < end ? text.slice(at, colon) : '';
      const value = name === '' ? '' : text.slice(colon + 1, end).trim();
      at = end + 2;
      // What is passed on to the client must be a header there too: no response splitting.
      if (!TOKEN.test(name) || INVALID_VALUE.test(value)) {
        this.#invalid('a malformed response header');
        return false;
      }
      rawHeaders.push(name, value);
      const lower = name.length === 14 || name.length === 17 || name.length === 10 ? name.toLowerCase() : '';
      if (lower === 'content-length') {
        // One length, digits only, however many times it is repeated (RFC 9112 §6.3).
        if (!/^\d+$/.test(value) || (length !== null && length !== Number(value))) {
          this.#invalid('an ambiguous Content-Length');
          return false;
        }
        length = Number(value);
      } else if (lower === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value);
      else if (lower === 'connection') {
        const v = value.toLowerCase();
        if (v.includes('close')) keepAlive = false;
        else if (v.includes('keep-alive')) keepAlive = true;
      }
    }
    if (code >= 100 && code < 200) return true; // interim: skipped, the final response follows
    if (chunked && length !== null) {
      this.#invalid('both Transfer-Encoding and Content-Length');
      return false;
    }
    if (this.#noBody || code === 204 || code === 304) this.#framing = { kind: 'none' };
    else if (chunked) this.#framing = { kind: 'chunked' };
    else if (length !== null && Number.isSafeInteger(length))
      this.#framing = length === 0 ? { kind: 'none' } : { kind: 'length', left: length };
    else this.#framing = { kind: 'close' };
    const kind = this.#framing.kind;
    const framing = kind === 'none' ? 'none' : kind === 'length' ? 'length' : 'unknown';
    this.#events!.head({ status: code, statusMessage, rawHeaders, keepAlive, framing });
    return true;
  }

  /** Consumes body bytes; returns what is left after the response ended (a protocol error). */
  #body(data: Buffer): Buffer {
    const framing = this.#framing!;
    if (framing.kind === 'close') {
      this.#events!.data(data);
      return EMPTY;
    }
    if (framing.kind === 'length') {
      const take = Math.min(framing.left, data.length);
      framing.left -= take;
      const piece = take === data.length ? data : data.subarray(0, take);
      // The last piece goes with the end: the client's answer is then written once.
      if (framing.left === 0) this.#finish(piece);
      else this.#events!.data(piece);
      return EMPTY;
    }
    return this.#chunked(data);
  }

  #chunked(data: Buffer): Buffer {
    let at = 0;
    while (at < data.length) {
      if (this.#chunkState === 'data') {
        const take = Math.min(this.#chunkLeft, data.length - at);
        this.#events!.data(data.subarray(at, at + take));
        at += take;
        this.#chunkLeft -= take;
        if (this.#chunkLeft === 0) this.#chunkState = 'data-crlf';
        continue;
      }
      const eol = data.indexOf('\r\n', at, 'latin1');
      if (eol < 0) {
        this.#pending = Buffer.from(data.subarray(at));
        if (this.#pending.length > 4096) this.#invalid('a malformed chunk');
        return EMPTY;
      }
      const line = data.toString('latin1', at, eol);
      at = eol + 2;
      if (this.#chunkState === 'data-crlf') {
        if (line !== '') return this.#invalid('a malformed chunk');
        this.#chunkState = 'size';
      } else if (this.#chunkState === 'size') {
        const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isSafeInteger(size) || size < 0) return this.#invalid('a malformed chunk size');
        if (size === 0) this.#chunkState = 'trailers';
        else {
          this.#chunkLeft = size;
          this.#chunkState = 'data';
        }
      } else if (line === '') {
        // The end of the trailers (which are not passed on): the body is complete.
        this.#finish();
        return EMPTY;
      }
    }
    return EMPTY;
  }

  #finish(last: Buffer | null = null): void {
    const events = this.#events;
    this.#events = null;
    this.#framing = null;
    events?.end(last);
  }

  #invalid(reason: string): Buffer {
    const events = this.#events;
    this.#events = null;
    events?.invalid(reason);
    return EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

/** Where the line starting at `from` ends (its CRLF, or the end of the head). */
function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\r\n', from);
  return end < 0 ? text.length : end;
}

/** The status code of `HTTP/1.0 NNN` or `HTTP/1.1 NNN`, optionally followed by a space and a reason. */
function statusCode(text: string, end: number): number | null {
  if (end < 12 || !text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 0x20) return null;
  const minor = text.charCodeAt(7);
  if (minor !== 0x30 && minor !== 0x31) return null;
  if (end > 12 && text.charCodeAt(12) !== 0x20) return null;
  let code = 0;
  for (let i = 9; i < 12; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return null;
    code = code * 10 + digit;
  }
  return code;
}
