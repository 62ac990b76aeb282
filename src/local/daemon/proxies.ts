// The daemon's input proxies: per app name and function, one on each port a version of it asked
// for (or one assigned once and recorded, so the function keeps its URL across restarts). They
// hold each input until the engine says where it goes. A proxy is opened when a version that
// needs it starts rolling out and is never closed while the daemon runs, so changing a port never
// cuts a request in flight, and a rollback finds its version's port still answering. Under a
// supervisor (A1) the listening sockets are the supervisor's: they outlive this process.
import { createServer } from 'node:net';
import type { InputError } from '../../engine/effects.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import { FunctionProxy } from '../runtime/proxy.ts';
import { DaemonError } from './protocol.ts';

/** Where listening sockets come from. */
export interface Listeners {
  /**
   * A socket listening on 127.0.0.1:port (0: any free port) for this function, held by someone
   * who outlives this process; null when there is no one, and the proxy binds its own.
   */
  open(port: number, appName: string, fn: string): Promise<object | null>;
  /** Sockets already held for functions (a restarted daemon takes them over). */
  held(): Array<{ port: number; appName: string; fn: string; handle: object }>;
}

/** Where an assigned port is remembered (the store). */
export interface PortBook {
  assignedPort(appName: string, fn: string): number | null;
  assignPort(appName: string, fn: string, port: number): void;
}

/** What the proxies report, for the engine. */
export interface ProxyEvents {
  arrived(appName: string, fn: string, inputId: string): void;
  finished(inputId: string, containerId: string): void;
  failed(inputId: string, containerId: string, reason: string): void;
}

/** An HTTP status for each way an input can be refused. */
const STATUS: Record<InputError, number> = {
  'app-stopped': 503,
  'no-version': 503,
  'no-function': 404,
  'retries-exhausted': 502,
};

/** Whether nothing listens on 127.0.0.1:port right now (bound and released at once). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export class Proxies {
  private readonly byFunction = new Map<string, FunctionProxy[]>();
  private readonly holding = new Map<string, FunctionProxy>();
  private sequence = 0;

  constructor(
    private readonly events: ProxyEvents,
    private readonly listeners: Listeners | null = null,
    private readonly ports: PortBook | null = null,
  ) {}

  /** The port a function listens on: its own, else the one assigned to it before (0: none yet). */
  private portFor(appName: string, fn: FunctionSpec): number {
    return fn.port !== 0 ? fn.port : (this.ports?.assignedPort(appName, fn.name) ?? 0);
  }

  private has(appName: string, fn: FunctionSpec): boolean {
    const proxies = this.byFunction.get(`${appName}/${fn.name}`) ?? [];
    const port = this.portFor(appName, fn);
    return port === 0 ? proxies.length > 0 : proxies.some((p) => p.port === port);
  }

  /** Takes over the sockets a supervisor still holds from before a restart (A1). */
  async adoptHeld(): Promise<void> {
    for (const held of this.listeners?.held() ?? []) {
      const key = `${held.appName}/${held.fn}`;
      if ((this.byFunction.get(key) ?? []).some((p) => p.port === held.port)) continue;
      await this.listen(held.appName, held.fn, held.port, held.handle);
    }
  }

  /** Refuses (nothing bound, nothing changed) when a port these functions need is taken. */
  async probe(appName: string, functions: FunctionSpec[]): Promise<void> {
    for (const fn of functions) {
      if (fn.port === 0 || this.has(appName, fn)) continue;
      if (!(await portIsFree(fn.port))) {
        throw new DaemonError(
          'port-in-use',
          `port ${fn.port} (function ${fn.name} of ${appName}) is already in use`,
        );
      }
    }
  }

  /** Opens the proxies these functions need that are not open yet. */
  async ensure(appName: string, functions: FunctionSpec[]): Promise<void> {
    for (const fn of functions) {
      if (this.has(appName, fn)) continue;
      if (fn.port !== 0) {
        await this.open(appName, fn, fn.port);
        continue;
      }
      // Assigned: the port it had before if it is still free, else a new one, recorded.
      const before = this.portFor(appName, fn);
      let port: number;
      try {
        port = await this.open(appName, fn, before);
      } catch (error) {
        if (before === 0 || !(error instanceof DaemonError && error.code === 'port-in-use')) throw error;
        port = await this.open(appName, fn, 0);
      }
      if (port !== before) this.ports?.assignPort(appName, fn.name, port);
    }
  }

  /** Opens one proxy on `port` (0: any); resolves to the port bound. */
  private async open(appName: string, fn: FunctionSpec, port: number): Promise<number> {
    let handle: object | null;
    try {
      handle = this.listeners ? await this.listeners.open(port, appName, fn.name) : null;
    } catch (error) {
      throw this.inUse(error, port, fn, appName);
    }
    return this.listen(appName, fn.name, port, handle).catch((error: unknown) => {
      throw this.inUse(error, port, fn, appName);
    });
  }

  private inUse(error: unknown, port: number, fn: FunctionSpec, appName: string): unknown {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
    return new DaemonError(
      'port-in-use',
      `port ${port} (function ${fn.name} of ${appName}) is already in use`,
    );
  }

  private async listen(appName: string, fn: string, port: number, handle: object | null): Promise<number> {
    const key = `${appName}/${fn}`;
    const proxy: FunctionProxy = new FunctionProxy({
      port,
      ...(handle ? { handle } : {}),
      idPrefix: `${key}#${++this.sequence}:`,
      hooks: {
        arrived: (inputId) => {
          this.holding.set(inputId, proxy);
          this.events.arrived(appName, fn, inputId);
        },
        finished: (inputId, containerId) => {
          this.holding.delete(inputId);
          this.events.finished(inputId, containerId);
        },
        failed: (inputId, containerId, reason) => this.events.failed(inputId, containerId, reason),
      },
    });
    const bound = await proxy.listen();
    this.byFunction.set(key, [...(this.byFunction.get(key) ?? []), proxy]);
    return bound;
  }

  /** Where the function's inputs go in: its version's port, or the one assigned to it. */
  url(appName: string, fn: FunctionSpec): string | null {
    const proxies = this.byFunction.get(`${appName}/${fn.name}`) ?? [];
    const port = this.portFor(appName, fn);
    const proxy = proxies.find((p) => p.port === port) ?? (port === 0 ? proxies[0] : undefined);
    return proxy ? `http://127.0.0.1:${proxy.port}` : null;
  }

  /** The engine's `route` effect. */
  route(inputId: string, containerId: string, containerPort: number): void {
    this.holding.get(inputId)?.route(inputId, containerId, containerPort);
  }

  /** The engine's `answer-error` effect: a JSON error with a status that says why. */
  answerError(inputId: string, error: InputError, message: string): void {
    const proxy = this.holding.get(inputId);
    this.holding.delete(inputId);
    proxy?.answerError(inputId, STATUS[error], { error: message, code: error });
  }

  /** A container is going away: attempts on it end silently (the engine requeued them). */
  abortContainer(appName: string, fn: string, containerId: string): void {
    for (const proxy of this.byFunction.get(`${appName}/${fn}`) ?? []) proxy.abortContainer(containerId);
  }

  /** Takes no new connections; open ones are still served (a daemon draining before it stops). */
  stopAccepting(): void {
    for (const proxy of [...this.byFunction.values()].flat()) proxy.stopAccepting();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byFunction.values()].flat().map((p) => p.close()));
  }
}
