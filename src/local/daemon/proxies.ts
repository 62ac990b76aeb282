// The daemon's input proxies: one per app name and function (`shop/web`), on the manifest's port
// or one assigned and kept while the daemon runs. They hold each input until the engine says
// where it goes, and remember which proxy holds which input.
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

export class Proxies {
  private readonly byFunction = new Map<string, FunctionProxy>();
  private readonly holding = new Map<string, FunctionProxy>();

  constructor(private readonly events: ProxyEvents) {}

  /** Starts a proxy for each function that has none (or whose manifest port changed). */
  async ensure(appName: string, functions: FunctionSpec[]): Promise<void> {
    for (const fn of functions) {
      const key = `${appName}/${fn.name}`;
      const existing = this.byFunction.get(key);
      if (existing && (fn.port === 0 || existing.port === fn.port)) continue;
      const proxy: FunctionProxy = new FunctionProxy({
        port: fn.port,
        idPrefix: `${key}#`,
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
      this.byFunction.set(key, proxy);
      if (existing) await existing.close();
    }
  }

  url(appName: string, fn: string): string | null {
    const proxy = this.byFunction.get(`${appName}/${fn}`);
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
    this.byFunction.get(`${appName}/${fn}`)?.abortContainer(containerId);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byFunction.values()].map((p) => p.close()));
  }
}
