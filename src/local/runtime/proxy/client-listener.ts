// The proxy's listening socket and its client connections: accepts them, keeps their timeouts
// with one sweep a second (not a timer per connection or request), and closes them all when the
// proxy goes away.
import { createServer, type Server, type Socket } from 'node:net';
import {
  ClientConnection,
  type ClientOwner,
  CONNECTION_LIMITS,
  type CoarseClock,
} from './client-connection.ts';
import type { ClientExchange } from './client-exchange.ts';
import type { RequestHead } from './llhttp.ts';

/** What the listener hands on: each request in turn, and connections that upgrade. */
export interface RequestHandler {
  request(exchange: ClientExchange): void;
  upgrade(head: RequestHead, socket: Socket, rest: Buffer): void;
}

const SWEEP_EVERY_MS = 1_000;

export class ClientListener {
  readonly #server: Server;
  readonly #connections = new Set<ClientConnection>();
  readonly #clock: CoarseClock = { now: performance.now() };
  #sweeper: NodeJS.Timeout | null = null;

  constructor(handler: RequestHandler) {
    const owner: ClientOwner = {
      request: (exchange) => handler.request(exchange),
      upgrade: (head, socket, rest) => handler.upgrade(head, socket, rest),
      closed: (connection) => this.#connections.delete(connection),
    };
    this.#server = createServer((socket) => {
      this.#clock.now = performance.now();
      this.#connections.add(new ClientConnection(socket, owner, this.#clock));
    });
  }

  /** Listens on 127.0.0.1:port, or on a socket someone else bound (A1); resolves to the port. */
  listen(port: number, handle?: object): Promise<number> {
    const server = this.#server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const listening = () => {
        server.off('error', reject);
        const address = server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('proxy: no TCP address'));
          return;
        }
        this.#sweeper ??= setInterval(() => this.#sweep(), SWEEP_EVERY_MS).unref();
        resolve(address.port);
      };
      if (handle) server.listen(handle, listening);
      else server.listen(port, '127.0.0.1', listening);
    });
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  /** Takes no new connections; those open are still served. */
  stopAccepting(): void {
    if (this.#server.listening) this.#server.close();
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      if (this.#server.listening) this.#server.close(() => resolve());
      else resolve();
    });
    for (const connection of this.#connections) connection.socket.destroy();
    this.#connections.clear();
    if (this.#sweeper !== null) clearInterval(this.#sweeper);
    this.#sweeper = null;
    await closed;
  }

  #sweep(): void {
    this.#clock.now = performance.now();
    for (const connection of this.#connections) connection.sweep(CONNECTION_LIMITS);
  }
}
