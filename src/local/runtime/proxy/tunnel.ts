// One try of a connection that asks to upgrade (WebSocket, `Connection: Upgrade`) on one
// container. The request goes as the client sent it; once the container answers, its answer
// and then every byte in both directions pass through untouched until either side closes. The
// input stays in flight, one slot of one container, for the connection's whole life.
import { connect, type Socket } from 'node:net';
import type { AttemptReport } from './attempt.ts';
import { upgradeRequestHead } from './headers.ts';
import type { RequestHead } from './llhttp.ts';

/** What a tunnel needs of its input. */
export interface UpgradeInput {
  req: RequestHead;
  /** The client's connection, paused until a container takes it. */
  socket: Socket;
  head: Buffer;
  remoteAddress: string;
  clientGone: boolean;
}

// A response head larger than this is not HTTP a proxy should pass on.
const MAX_HEAD_BYTES = 64 * 1024;

export class Tunnel {
  readonly containerId: string;
  readonly #input: UpgradeInput;
  readonly #report: AttemptReport;
  readonly #upstream: Socket;
  readonly #timer: NodeJS.Timeout;
  #connected = false;
  #committed = false;
  #over = false;

  constructor(
    input: UpgradeInput,
    target: { containerId: string; port: number; requestTimeoutMs: number },
    report: AttemptReport,
  ) {
    this.containerId = target.containerId;
    this.#input = input;
    this.#report = report;
    const upstream = connect({ host: '127.0.0.1', port: target.port });
    this.#upstream = upstream;
    this.#timer = setTimeout(
      () => this.#fail(`no response within ${target.requestTimeoutMs / 1000}s (request_timeout)`),
      target.requestTimeoutMs,
    );
    upstream.on('connect', () => {
      this.#connected = true;
      upstream.write(upgradeRequestHead(input.req, input.remoteAddress));
      if (input.head.length > 0) upstream.write(input.head);
    });
    const head: Buffer[] = [];
    let headBytes = 0;
    const onData = (chunk: Buffer) => {
      head.push(chunk);
      headBytes += chunk.length;
      const received = Buffer.concat(head);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (headBytes > MAX_HEAD_BYTES) this.#fail('response head too large');
        return;
      }
      upstream.off('data', onData);
      this.#commit(received, end);
    };
    upstream.on('data', onData);
    upstream.on('error', () => undefined); // 'close' decides
    upstream.on('close', () => {
      if (this.#over) return;
      if (!this.#committed)
        this.#fail(this.#connected ? 'connection closed before a response' : 'ECONNREFUSED');
      else this.#finish();
    });
    input.socket.on('error', () => undefined);
    // Either side ending ends the connection (no half-open tunnels: the client's socket allows them).
    const clientLeft = () => {
      input.clientGone = true;
      if (!this.#over && this.#committed) this.#finish();
    };
    input.socket.on('end', clientLeft);
    input.socket.on('close', clientLeft);
    upstream.on('end', () => {
      if (!this.#over && this.#committed) this.#finish();
    });
  }

  /** Ends the tunnel without reporting it (its container is going away, or it was answered). */
  abort(): void {
    if (this.#over) return;
    this.#end();
    if (this.#committed) this.#input.socket.destroy();
  }

  #commit(received: Buffer, headEnd: number): void {
    clearTimeout(this.#timer);
    this.#committed = true;
    const client = this.#input.socket;
    if (this.#input.clientGone) {
      this.#finish();
      return;
    }
    // The container that answered is named, as for every other response.
    const named = Buffer.concat([
      received.subarray(0, headEnd),
      Buffer.from(`\r\nX-Cutover-Container: ${this.containerId}`),
      received.subarray(headEnd),
    ]);
    client.write(named);
    this.#upstream.pipe(client);
    const status = Number(
      /^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, headEnd).toString('latin1'))?.[1],
    );
    if (status === 101) {
      client.pipe(this.#upstream);
      client.resume();
    }
  }

  #finish(): void {
    this.#end();
    // end, not destroy: what the container sent last still reaches the client.
    this.#input.socket.end();
    this.#report.finished();
  }

  #fail(reason: string): void {
    if (this.#over) return;
    this.#end();
    if (this.#committed) this.#input.socket.destroy();
    this.#report.failed({ reason, unsent: !this.#connected, final: this.#committed });
  }

  #end(): void {
    this.#over = true;
    clearTimeout(this.#timer);
    this.#input.socket.unpipe();
    this.#upstream.destroy();
  }
}
