// A request's body on its way through the proxy. Up to a small hold-back it is kept, so an
// attempt that fails can be sent again (R1); past it the body streams from the client to the
// container, with backpressure, and never sits in the daemon's memory. Q1: past max_body it is
// refused.
import type { BodyListener } from './client-exchange.ts';

/** Bodies up to this size are kept whole until answered; larger ones stream. */
export const HOLD_BACK_BYTES = 64 * 1024;

/** Where a body goes: an attempt's connection to its container. */
export interface BodySink {
  /** False when the sink's buffer is full: wait for 'drain'. */
  write(chunk: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
}

/** What an attempt reads of a request's body. */
export interface InputBody {
  /** R1: nothing past the held part went to a container, so it can be sent again. */
  readonly replayable: boolean;
  /** Complete and empty: there is nothing to send after the head. */
  readonly empty: boolean;
  /** All of it is held here: an attempt sends it whole, and another could send it again. */
  readonly whole: boolean;
  /** The length to declare upstream; null when only its end will tell (chunked). */
  readonly length: number | null;
  /** Writes the body to an attempt's request: the held part now, the rest as it comes. */
  sendTo(sink: BodySink): void;
  /** The attempt is over: later bytes go nowhere until the next one (if it may happen). */
  detach(): void;
}

/** The body of a request that has none (most: GET, HEAD, DELETE): nothing to read, hold or stream. */
export const NO_BODY: InputBody = {
  replayable: true,
  empty: true,
  whole: true,
  length: 0,
  sendTo: (sink) => sink.end(),
  detach: () => undefined,
};

/** Where a body comes from: the client's request, with backpressure on its connection. */
export interface BodySource {
  readBody(listener: BodyListener): void;
  pauseBody(): void;
  resumeBody(): void;
}

export interface RequestBodyOptions {
  maxBodyBytes: number;
  /** The request's own framing: a body with neither a length nor chunked encoding is empty. */
  declaredLength: number | null;
  chunked: boolean;
  /** The body is complete, or the hold-back is full: the input can go to the engine. Once. */
  onReady(): void;
  /** More than max_body arrived. */
  onTooLarge(): void;
}

export class RequestBody implements InputBody {
  readonly #req: BodySource;
  readonly #o: RequestBodyOptions;
  readonly #held: Buffer[] = [];
  #heldBytes = 0;
  #received = 0;
  #complete = false;
  #streamed = false;
  #ready = false;
  #tooLarge = false;
  #sink: BodySink | null = null;

  constructor(req: BodySource, o: RequestBodyOptions) {
    this.#req = req;
    this.#o = o;
  }

  /** Starts reading; a request without a body is ready at once (most are: GET, HEAD, DELETE). */
  start(): void {
    const req = this.#req;
    if (!this.#o.chunked && (this.#o.declaredLength ?? 0) === 0) {
      this.#complete = true;
      this.#becomeReady();
      return;
    }
    req.readBody({
      data: (chunk) => this.#data(chunk),
      end: () => {
        this.#complete = true;
        if (this.#tooLarge) return;
        this.#sink?.end();
        this.#becomeReady();
      },
    });
  }

  /** R1: nothing past the held part went to a container, so it can be sent again. */
  get replayable(): boolean {
    return !this.#streamed;
  }

  /** Complete and empty: there is nothing to send after the head (most requests). */
  get empty(): boolean {
    return this.#complete && this.#heldBytes === 0;
  }

  /** Complete and held here (not streamed anywhere yet). */
  get whole(): boolean {
    return this.#complete && !this.#streamed;
  }

  /** The length to declare upstream: known when complete or declared by the client; else null (chunked). */
  get length(): number | null {
    if (this.#complete) return this.#heldBytes;
    if (this.#tooLarge) return 0;
    return this.#o.chunked ? null : this.#o.declaredLength;
  }

  /** Writes the body to an attempt's request: the held part now, the rest as it comes. */
  sendTo(sink: BodySink): void {
    this.#sink = sink;
    for (const chunk of this.#held) sink.write(chunk);
    if (this.#complete) {
      sink.end();
      return;
    }
    this.#req.resumeBody();
  }

  /** The attempt is over: later bytes go nowhere until the next one (if it may happen). */
  detach(): void {
    this.#sink = null;
    if (!this.#complete) this.#req.pauseBody();
  }

  #data(chunk: Buffer): void {
    if (this.#tooLarge) return;
    this.#received += chunk.length;
    if (this.#received > this.#o.maxBodyBytes) {
      this.#tooLarge = true;
      this.#held.length = 0;
      this.#sink = null;
      this.#o.onTooLarge();
      return;
    }
    const sink = this.#sink;
    if (sink === null) {
      this.#held.push(chunk);
      this.#heldBytes += chunk.length;
      if (this.#heldBytes >= HOLD_BACK_BYTES) {
        // Held back enough: the client waits (TCP backpressure) until a container takes it.
        this.#req.pauseBody();
        this.#becomeReady();
      }
      return;
    }
    this.#streamed = true;
    if (!sink.write(chunk)) {
      this.#req.pauseBody();
      sink.once('drain', () => {
        if (this.#sink === sink) this.#req.resumeBody();
      });
    }
  }

  #becomeReady(): void {
    if (this.#ready) return;
    this.#ready = true;
    this.#o.onReady();
  }
}
