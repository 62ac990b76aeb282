// The proxy's connections to containers: plain sockets kept alive between requests, one pool
// per port. Node's HTTP client costs more per request than the rest of the proxy together, so
// the upstream leg writes the request head itself and reads the answer with ResponseParser.
import { connect, type Socket } from 'node:net';
import { ResponseParser } from './response-parser.ts';

// One buffer for every read from every container connection in the process (net.connect's
// `onread`): no buffer is allocated per read, and no stream machinery runs for it. Each read is
// handled before the next one lands: whatever outlives the call is copied (a partial head, a
// piece of body the client has not taken yet).
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Who uses a connection for one exchange. */
export interface ConnectionUser {
  /** The connection is up (at once for a reused one): the request may be written. */
  connected(): void;
  /** The connection ended; `error` names why when it broke. */
  closed(error: string | null): void;
}

/** One connection to a container. */
export class UpstreamConnection {
  readonly socket: Socket;
  readonly parser = new ResponseParser();
  /** It carried an exchange before (a failure on it proves nothing about the new request). */
  reused = false;
  /** When it last went back to the pool (performance.now()). */
  idleSince = 0;
  #user: ConnectionUser | null = null;
  #error: string | null = null;
  #up = false;

  constructor(
    readonly port: number,
    private readonly pool: UpstreamPool,
  ) {
    const socket = connect({
      host: '127.0.0.1',
      port,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          if (this.#user === null)
            socket.destroy(); // bytes nobody asked for: not reusable
          else this.parser.push((buffer as Buffer).subarray(0, bytes));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.#up = true;
      this.#user?.connected();
    });
    socket.on('end', () => {
      this.parser.closed();
      socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.#error = error.code ?? error.message;
    });
    socket.on('close', () => {
      this.pool.forget(this);
      const user = this.#user;
      this.#user = null;
      user?.closed(this.#error);
    });
  }

  /** Hands the connection to an exchange. */
  use(user: ConnectionUser): void {
    this.#user = user;
    if (this.#up) user.connected();
  }

  /** The exchange is over and the connection is clean: back to the pool. */
  release(): void {
    this.#user = null;
    this.reused = true;
    // An exchange may have paused it for backpressure: an idle connection reads, so the next
    // request's answer (or the container closing it) is seen.
    this.socket.resume();
    this.pool.keep(this);
  }

  /** The exchange is over badly (or the connection cannot be reused): close it. */
  discard(): void {
    this.#user = null;
    this.socket.destroy();
  }
}

/** Idle connections per container port, newest first out; those idle too long are closed. */
export class UpstreamPool {
  readonly #idle = new Map<number, UpstreamConnection[]>();
  readonly #idleTimeoutMs: number;
  #sweeper: NodeJS.Timeout | null = null;

  // Dropped before a typical server's own keep-alive limit (Node's is 5 s) closes it under us.
  constructor(idleTimeoutMs = 4_000) {
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** An idle connection to the port, or a new one (always, when `fresh`). */
  take(port: number, fresh = false): UpstreamConnection {
    const idle = fresh ? undefined : this.#idle.get(port);
    while (idle !== undefined && idle.length > 0) {
      const connection = idle.pop()!;
      if (!connection.socket.destroyed) return connection;
    }
    return new UpstreamConnection(port, this);
  }

  keep(connection: UpstreamConnection): void {
    connection.idleSince = performance.now();
    let idle = this.#idle.get(connection.port);
    if (idle === undefined) {
      idle = [];
      this.#idle.set(connection.port, idle);
    }
    idle.push(connection);
    // One timer for the pool, not one per connection and request.
    this.#sweeper ??= setInterval(() => this.#sweep(), Math.max(100, this.#idleTimeoutMs / 4)).unref();
  }

  forget(connection: UpstreamConnection): void {
    const idle = this.#idle.get(connection.port);
    const at = idle?.indexOf(connection) ?? -1;
    if (at >= 0) idle!.splice(at, 1);
  }

  destroy(): void {
    if (this.#sweeper !== null) clearInterval(this.#sweeper);
    this.#sweeper = null;
    for (const idle of this.#idle.values()) for (const connection of [...idle]) connection.socket.destroy();
    this.#idle.clear();
  }

  /** Closes the connections idle longer than the timeout (the oldest are first in each list). */
  #sweep(): void {
    const before = performance.now() - this.#idleTimeoutMs;
    let left = 0;
    for (const [port, idle] of this.#idle) {
      let stale = 0;
      while (stale < idle.length && idle[stale]!.idleSince <= before) stale++;
      for (const connection of idle.splice(0, stale)) connection.socket.destroy();
      if (idle.length === 0) this.#idle.delete(port);
      left += idle.length;
    }
    if (left === 0 && this.#sweeper !== null) {
      clearInterval(this.#sweeper);
      this.#sweeper = null;
    }
  }
}
