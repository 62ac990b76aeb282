// The daemon's input proxies: per app name and function, one on each port a version of it asked
// for (or one assigned once and recorded, so the function keeps its URL across restarts). They
// hold each input until the engine says where it goes. A proxy is opened when a version that
// needs it starts rolling out and stays open while the app is deployed, so changing a port never
// cuts a request in flight, and a rollback finds its version's port still answering. A stopped
// app's proxies keep answering "app stopped" (T1) for a grace period, and hand their port over at
// once to any deploy that wants it. Under a supervisor (A1) the listening sockets are the
// supervisor's: they outlive this process.
import { createServer } from 'node:net';
import type { InputError } from '../../engine/effects.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import { portHolder } from '../runtime/port-holder.ts';
import type { AttemptFailure } from '../runtime/proxy/attempt.ts';
import { FunctionProxy, type ProxyLimits } from '../runtime/proxy/function-proxy.ts';
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
  /** The port is served no more (T1): its holder closes it, so any program may bind it. */
  release(port: number): void;
}

/** Where an assigned port is remembered (the store). */
export interface PortBook {
  assignedPort(appName: string, fn: string): number | null;
  assignPort(appName: string, fn: string, port: number): void;
}

/** What the proxies report, for the engine. */
export interface ProxyEvents {
  arrived(appName: string, fn: string, inputId: string, method: string): void;
  finished(inputId: string, containerId: string): void;
  failed(inputId: string, containerId: string, failure: AttemptFailure): void;
  cancelled(inputId: string): void;
}

/** An HTTP status for each way an input can be refused. */
const STATUS: Record<InputError, number> = {
  'app-stopped': 503,
  'no-version': 503,
  'no-function': 404,
  'retries-exhausted': 502,
  'not-retried': 502,
  'queue-full': 503,
  'queue-timeout': 503,
};

// Q1: a client told the queue is full or timed out may try again this many seconds later.
const RETRY_AFTER_SECONDS = '1';

// T1: a stopped app's ports answer "app stopped" this long, unless a deploy wants one sooner.
export const STOPPED_GRACE_MS = 60_000;

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
  /** Proxies of stopped apps, by port, until their grace ends or a deploy takes the port. */
  private readonly stopped = new Map<number, FunctionProxy>();
  private sequence = 0;

  constructor(
    private readonly events: ProxyEvents,
    private readonly listeners: Listeners | null = null,
    private readonly ports: PortBook | null = null,
    private readonly stoppedGraceMs = STOPPED_GRACE_MS,
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

  /**
   * Takes over the sockets a supervisor still holds from before a restart (A1). Those of apps no
   * longer deployed are let go at once: a stopped app's grace (T1) ended with the old daemon.
   */
  async adoptHeld(deployed: (appName: string) => boolean): Promise<void> {
    for (const held of this.listeners?.held() ?? []) {
      if (!deployed(held.appName)) {
        // Both copies go: this process's (never listened on) and the holder's.
        (held.handle as { close?: () => void }).close?.();
        this.listeners?.release(held.port);
        continue;
      }
      const key = `${held.appName}/${held.fn}`;
      if ((this.byFunction.get(key) ?? []).some((p) => p.port === held.port)) continue;
      await this.listen(held.appName, held.fn, held.port, held.handle, {});
    }
  }

  /** Why `port` cannot be had, naming who holds it. */
  private inUse(appName: string, fn: FunctionSpec, port: number): DaemonError {
    let holder: string | null = null;
    for (const [key, proxies] of this.byFunction) {
      if (proxies.some((p) => p.port === port)) {
        const [app, name] = key.split('/');
        holder = `function ${name} of app ${app}`;
      }
    }
    holder ??= portHolder(port);
    return new DaemonError(
      'port-in-use',
      `port ${port} (function ${fn.name} of ${appName}) is already in use${holder ? ` by ${holder}` : ''}`,
    );
  }

  /** Refuses (nothing bound, nothing changed) when a port these functions need is taken. */
  async probe(appName: string, functions: FunctionSpec[]): Promise<void> {
    for (const fn of functions) {
      if (fn.port === 0 || this.has(appName, fn) || this.stopped.has(fn.port)) continue;
      if (!(await portIsFree(fn.port))) throw this.inUse(appName, fn, fn.port);
    }
  }

  /** Opens the proxies these functions need that are not open yet; all take the functions' limits. */
  async ensure(appName: string, functions: FunctionSpec[]): Promise<void> {
    for (const fn of functions) {
      const key = `${appName}/${fn.name}`;
      const limits = { maxBodyBytes: fn.maxBodyBytes, requestTimeoutMs: fn.requestTimeoutMs };
      for (const open of this.byFunction.get(key) ?? []) open.configure(limits);
      if (this.has(appName, fn)) continue;
      if (fn.port !== 0) {
        // A stopped app's port goes to the deploy that wants it.
        await this.stopped.get(fn.port)?.close();
        this.stopped.delete(fn.port);
        await this.open(appName, fn, fn.port, limits);
        continue;
      }
      // Assigned: the port it had before if it is still free, else a new one, recorded.
      const before = this.portFor(appName, fn);
      let port: number;
      try {
        port = await this.open(appName, fn, before, limits);
      } catch (error) {
        if (before === 0 || !(error instanceof DaemonError && error.daemonCode === 'port-in-use'))
          throw error;
        port = await this.open(appName, fn, 0, limits);
      }
      if (port !== before) this.ports?.assignPort(appName, fn.name, port);
    }
  }

  /** Opens one proxy on `port` (0: any); resolves to the port bound. */
  private async open(
    appName: string,
    fn: FunctionSpec,
    port: number,
    limits: Partial<ProxyLimits>,
  ): Promise<number> {
    const refused = (error: unknown): unknown =>
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? this.inUse(appName, fn, port) : error;
    let handle: object | null;
    try {
      handle = this.listeners ? await this.listeners.open(port, appName, fn.name) : null;
    } catch (error) {
      throw refused(error);
    }
    return this.listen(appName, fn.name, port, handle, limits).catch((error: unknown) => {
      throw refused(error);
    });
  }

  private async listen(
    appName: string,
    fn: string,
    port: number,
    handle: object | null,
    limits: Partial<ProxyLimits>,
  ): Promise<number> {
    const key = `${appName}/${fn}`;
    const proxy: FunctionProxy = new FunctionProxy({
      port,
      ...(handle ? { handle } : {}),
      idPrefix: `${key}#${++this.sequence}:`,
      limits,
      hooks: {
        arrived: (inputId, method) => {
          this.holding.set(inputId, proxy);
          this.events.arrived(appName, fn, inputId, method);
        },
        finished: (inputId, containerId) => {
          this.holding.delete(inputId);
          this.events.finished(inputId, containerId);
        },
        failed: (inputId, containerId, failure) => this.events.failed(inputId, containerId, failure),
        cancelled: (inputId) => {
          this.holding.delete(inputId);
          this.events.cancelled(inputId);
        },
      },
    });
    const bound = await proxy.listen();
    this.byFunction.set(key, [...(this.byFunction.get(key) ?? []), proxy]);
    return bound;
  }

  /**
   * T1: the app stopped. Its proxies answer "app stopped" for a grace period, then free their
   * ports; a deploy that wants one of those ports sooner gets it at once.
   */
  release(appName: string): void {
    for (const [key, proxies] of this.byFunction) {
      if (!key.startsWith(`${appName}/`)) continue;
      this.byFunction.delete(key);
      for (const proxy of proxies) {
        const port = proxy.port;
        this.stopped.set(port, proxy);
        setTimeout(() => {
          if (this.stopped.get(port) !== proxy) return;
          this.stopped.delete(port);
          proxy.close().then(
            () => this.listeners?.release(port),
            () => this.listeners?.release(port),
          );
        }, this.stoppedGraceMs).unref();
      }
    }
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
    const headers: Record<string, string> =
      error === 'queue-full' || error === 'queue-timeout' ? { 'retry-after': RETRY_AFTER_SECONDS } : {};
    proxy?.answerError(inputId, STATUS[error], { error: message, code: error }, headers);
  }

  /** A container is going away: attempts on it end silently (the engine requeued them). */
  abortContainer(appName: string, fn: string, containerId: string): void {
    for (const proxy of this.byFunction.get(`${appName}/${fn}`) ?? []) proxy.abortContainer(containerId);
  }

  /** Takes no new connections; open ones are still served (a daemon draining before it stops). */
  stopAccepting(): void {
    const all = [...this.byFunction.values()].flat().concat([...this.stopped.values()]);
    for (const proxy of all) proxy.stopAccepting();
  }

  async closeAll(): Promise<void> {
    const all = [...this.byFunction.values()].flat().concat([...this.stopped.values()]);
    await Promise.all(all.map((p) => p.close()));
  }
}
