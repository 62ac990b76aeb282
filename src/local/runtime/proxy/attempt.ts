// One try of an HTTP input on one container. The response streams to the client from its first
// byte (the attempt is then committed: SSE arrives event by event, an endless stream delivers).
// Before that, a failure is reported with what R1 needs: whether anything was sent at all, and
// whether the input could be sent again.
import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { clientHeaders, upstreamHeaders } from './headers.ts';
import type { RequestBody } from './request-body.ts';

/** What an attempt needs of its input. */
export interface HttpInput {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  body: RequestBody;
  res: ServerResponse;
  /** The client has gone: nothing more is written to it. */
  clientGone: boolean;
}

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

export class Attempt {
  readonly containerId: string;
  readonly #input: HttpInput;
  readonly #report: AttemptReport;
  readonly #upstream: ClientRequest;
  readonly #timer: NodeJS.Timeout;
  #response: IncomingMessage | null = null;
  #connected = false;
  #committed = false;
  #over = false;

  constructor(
    input: HttpInput,
    target: { containerId: string; port: number; agent: Agent; requestTimeoutMs: number },
    report: AttemptReport,
  ) {
    this.containerId = target.containerId;
    this.#input = input;
    this.#report = report;
    const upstream = request({
      host: '127.0.0.1',
      port: target.port,
      method: input.method,
      path: input.url,
      headers: upstreamHeaders(input.headers, input.remoteAddress, input.body.length),
      agent: target.agent,
    });
    this.#upstream = upstream;
    this.#timer = setTimeout(
      () => this.#fail(`no response within ${target.requestTimeoutMs / 1000}s (request_timeout)`),
      target.requestTimeoutMs,
    );
    upstream.once('socket', (socket) => {
      // The body goes only once connected, so a refused connection leaves it whole to send again.
      if (socket.connecting) socket.once('connect', () => this.#connect());
      else this.#connect();
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => this.#fail(error.code ?? error.message));
    upstream.on('response', (res) => this.#respond(res));
  }

  /** Ends the attempt without reporting it (the engine requeued or answered the input). */
  abort(): void {
    if (this.#over) return;
    this.#end();
    if (this.#committed) this.#cutClient();
  }

  #connect(): void {
    if (this.#over) return;
    this.#connected = true;
    this.#input.body.sendTo(this.#upstream);
  }

  #respond(res: IncomingMessage): void {
    clearTimeout(this.#timer);
    this.#response = res;
    if (this.#over) {
      res.resume();
      return;
    }
    this.#committed = true;
    const input = this.#input;
    res.on('close', () => {
      if (!this.#over && !res.complete) this.#fail('connection reset during the response');
    });
    res.on('error', () => undefined); // 'close' above decides
    if (input.clientGone) {
      // Nobody waits for it: read it to its end so the container's slot frees when it is done.
      res.resume();
      res.on('end', () => this.#finish());
      return;
    }
    const client = input.res;
    client.writeHead(res.statusCode ?? 502, res.statusMessage, clientHeaders(res, this.containerId));
    client.once('close', () => {
      // The client left mid-stream: stop the container's side too (an endless stream never ends).
      if (!this.#over && !client.writableFinished) {
        input.clientGone = true;
        this.#end();
        this.#report.finished();
      }
    });
    res.on('data', (chunk: Buffer) => {
      if (this.#over || input.clientGone) return;
      if (!client.write(chunk)) {
        res.pause();
        client.once('drain', () => res.resume());
      }
    });
    res.on('end', () => {
      if (this.#over) return;
      client.end();
      this.#finish();
    });
  }

  #finish(): void {
    this.#end();
    this.#report.finished();
  }

  #fail(reason: string): void {
    if (this.#over) return;
    this.#end();
    const final = this.#committed || !this.#input.body.replayable;
    if (this.#committed) this.#cutClient();
    this.#report.failed({ reason, unsent: !this.#connected, final });
  }

  #end(): void {
    this.#over = true;
    clearTimeout(this.#timer);
    this.#input.body.detach();
    // A complete exchange leaves its connection to the agent's pool; any other is cut.
    if (!(this.#response?.complete ?? false)) this.#upstream.destroy();
  }

  /** Part of an answer already reached the client, so no other attempt may be shown: cut it. */
  #cutClient(): void {
    this.#input.clientGone = true;
    this.#input.res.destroy();
  }
}
