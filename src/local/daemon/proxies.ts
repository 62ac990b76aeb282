// The daemon's input proxies: per app name and function, one on each port a version of it asked
// for (or one assigned, kept while the daemon runs). They hold each input until the engine says
// where it goes. A proxy is opened when a version that needs it starts rolling out and is never
// closed while the daemon runs, so changing a port never cuts a request in flight, and a
// rollback finds its version's port still answering.
import { createServer } from 'node:net';
import type { InputError } from '../../engine/effects.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import { FunctionProxy } from '../runtime/proxy.ts';
import { DaemonError } from './protocol.ts';

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

  constructor(private readonly events: ProxyEvents) {}

  private has(appName: string, fn: FunctionSpec): boolean {
    const proxies = this.byFunction.get(`${appName}/${fn.name}`) ?? [];
    return fn.port === 0 ? proxies.length > 0 : proxies.some((p) => p.port === fn.port);
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
      const key = `${appName}/${fn.name}`;
      const proxy: FunctionProxy = new FunctionProxy({
        port: fn.port,
        idPrefix: `${key}#${++this.sequence}:`,
        hooks: {
          arrived: (inputId) => {
            this.holding.set(inputId, proxy);
            this.events.arrived(appName, fn.name, inputId);
          },
          finished: (inputId, containerId) => {
            this.holding.delete(inputId);
            this.events.finished(inputId, containerId);
          },
          failed: (inputId, containerId, reason) => this.events.failed(inputId, containerId, reason),
        },
      });
      try {
        await proxy.listen();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new DaemonError(
            'port-in-use',
            `port ${fn.port} (function ${fn.name} of ${appName}) is already in use`,
          );
        }
        throw error;
      }
      this.byFunction.set(key, [...(this.byFunction.get(key) ?? []), proxy]);
    }
  }

  /** Where the function's inputs go in: its version's port, or the one assigned to it. */
  url(appName: string, fn: FunctionSpec): string | null {
    const proxies = this.byFunction.get(`${appName}/${fn.name}`) ?? [];
    const proxy = fn.port === 0 ? proxies[0] : proxies.find((p) => p.port === fn.port);
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

  async closeAll(): Promise<void> {
    await Promise.all([...this.byFunction.values()].flat().map((p) => p.close()));
  }
}
