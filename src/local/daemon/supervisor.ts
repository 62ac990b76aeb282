// A1: the supervisor, `cutover daemon run`. A small process that holds what must outlive the
// daemon's work: the pid-file lock, the control socket and every proxy's listening socket. It runs
// the daemon proper as a worker and hands it those sockets; when the worker dies (a crash, a
// kill -9, a store it cannot write), it starts another at once and hands them on again. While no
// worker runs, the sockets stay open and the kernel queues new connections, which the next
// worker accepts: only the requests in flight inside the dead worker are lost. The worker adopts
// the running containers, so nothing restarts and no port moves. A spare worker waits, started
// and with its code loaded, so a restart costs restoring the apps, not starting node.
import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import net from 'node:net';
import { getSystemErrorName } from 'node:util';
import type { StatePaths } from '../paths.ts';
import { type ToSupervisor, type ToWorker, WORKER_COMMAND } from './supervision.ts';

/** A bound socket in libuv's hands: never listened on here, so this process accepts nothing. */
interface ServerHandle {
  getsockname(out: { port?: number }): number;
  close(): void;
}

// Node's own cluster module binds sockets for its workers this way (lib/internal/cluster):
// bound here, listened on and accepted by the worker. There is no public API for a socket one
// process holds and another accepts on.
const createServerHandle = (
  net as unknown as {
    _createServerHandle(address: string, port: number, addressType: number): ServerHandle | number;
  }
)._createServerHandle;

// A worker that dies before it serves, or within a second, is restarted after a growing pause
// (a crash loop); one that served longer is restarted at once (a crash, an operator's kill -9).
const STABLE_MS = 1_000;
const MAX_PAUSE_MS = 30_000;

export interface SupervisorOptions {
  paths: StatePaths;
  env: NodeJS.ProcessEnv;
  /** The script the CLI runs from; the worker is `node <entry> daemon worker`. */
  entry: string;
  log(line: string): void;
  /** Called once the supervisor has let go of everything; the process should exit. */
  exit(code: number): void;
}

export class Supervisor {
  private readonly ports = new Map<number, { handle: ServerHandle; appName: string; fn: string }>();
  /** Secret values the workers were given (B2): in this process's memory only, never written. */
  private readonly secrets = new Map<string, Record<string, string>>();
  private worker: ChildProcess | null = null;
  /** Started and loaded, waiting for the sockets: the next worker. */
  private spare: ChildProcess | null = null;
  private workerServing = false;
  private workerServingAt = 0;
  private crashes = 0;
  private stopping = false;
  private pending: NodeJS.Timeout | null = null;

  private constructor(
    private readonly o: SupervisorOptions,
    private readonly control: ServerHandle,
  ) {}

  /** Binds the control socket (a stale one is replaced: the caller holds the lock) and starts a worker. */
  static start(o: SupervisorOptions): Supervisor {
    rmSync(o.paths.socket, { force: true });
    const control = createServerHandle(o.paths.socket, -1, -1);
    if (typeof control === 'number') {
      throw new Error(`cannot bind ${o.paths.socket}: ${getSystemErrorName(control)}`);
    }
    chmodSync(o.paths.socket, 0o600);
    const supervisor = new Supervisor(o, control);
    supervisor.startWorker();
    return supervisor;
  }

  /** Pid of the worker serving now, if one is. */
  get workerPid(): number | null {
    return this.worker?.pid ?? null;
  }

  /** SIGTERM, SIGINT: the worker drains and exits (leaving the apps running), then so do we. */
  stop(apps = false): void {
    if (this.stopping && this.worker === null) return;
    this.stopping = true;
    if (this.pending) clearTimeout(this.pending);
    this.spare?.kill('SIGTERM');
    this.spare = null;
    if (this.worker?.connected) this.send(this.worker, { type: 'stop', apps });
    else if (this.worker === null) this.shutDown();
  }

  private forkWorker(): ChildProcess {
    const worker = fork(this.o.entry, WORKER_COMMAND, {
      env: { ...this.o.env, CUTOVER_HOME: this.o.paths.home },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: process.execArgv,
    });
    worker.on('message', (message: ToSupervisor) => this.received(worker, message));
    worker.on('error', (error) => this.o.log(`worker: ${error.message}`));
    worker.once('exit', (code, signal) => this.workerExited(worker, code, signal));
    return worker;
  }

  /** A spare for the next restart, once the worker serves (it must not slow the worker's start). */
  private prepareSpare(): void {
    if (this.spare === null && !this.stopping) this.spare = this.forkWorker();
  }

  private startWorker(): void {
    this.pending = null;
    const spare = this.spare?.connected ? this.spare : null;
    this.spare = null;
    const worker = spare ?? this.forkWorker();
    this.worker = worker;
    this.workerServing = false;
    this.send(worker, { type: 'control' }, this.control);
    for (const [port, held] of this.ports) {
      this.send(worker, { type: 'held', port, appName: held.appName, fn: held.fn }, held.handle);
    }
    for (const [app, values] of this.secrets) this.send(worker, { type: 'secrets', app, values });
    this.send(worker, { type: 'start' });
  }

  private received(worker: ChildProcess, message: ToSupervisor): void {
    switch (message.type) {
      case 'listen':
        this.listen(worker, message);
        break;
      case 'release':
        this.ports.get(message.port)?.handle.close();
        this.ports.delete(message.port);
        break;
      case 'serving':
        if (worker === this.worker) {
          this.workerServing = true;
          this.workerServingAt = Date.now();
        }
        this.prepareSpare();
        break;
      case 'stopping':
        this.stopping = true;
        break;
      case 'secrets':
        this.secrets.set(message.app, message.values);
        break;
    }
  }

  private listen(worker: ChildProcess, m: Extract<ToSupervisor, { type: 'listen' }>): void {
    const held = m.port === 0 ? undefined : this.ports.get(m.port);
    if (held) {
      // A stopped app's port taken by another app's deploy: the next worker hears whose it is.
      held.appName = m.appName;
      held.fn = m.fn;
      this.send(worker, { type: 'listening', id: m.id, port: m.port }, held.handle);
      return;
    }
    const handle = createServerHandle('127.0.0.1', m.port, 4);
    if (typeof handle === 'number') {
      const code = getSystemErrorName(handle);
      this.send(worker, { type: 'listen-failed', id: m.id, code, message: `127.0.0.1:${m.port}: ${code}` });
      return;
    }
    const address: { port?: number } = {};
    handle.getsockname(address);
    const port = address.port ?? m.port;
    this.ports.set(port, { handle, appName: m.appName, fn: m.fn });
    this.send(worker, { type: 'listening', id: m.id, port }, handle);
  }

  private workerExited(worker: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (worker === this.spare) {
      // A spare that died waiting: the next one comes with the next worker that serves.
      this.spare = null;
      return;
    }
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.stopping) {
      this.shutDown();
      return;
    }
    const stable = this.workerServing && Date.now() - this.workerServingAt >= STABLE_MS;
    this.crashes = stable ? 1 : this.crashes + 1;
    const pause = this.crashes <= 1 ? 0 : Math.min(MAX_PAUSE_MS, 250 * 2 ** this.crashes);
    this.o.log(
      `worker pid ${worker.pid} exited (${signal ?? `code ${code}`}); ` +
        `restarting it${pause > 0 ? ` in ${pause / 1000}s` : ''}, the apps keep running`,
    );
    this.pending = setTimeout(() => this.startWorker(), pause);
  }

  private send(worker: ChildProcess, message: ToWorker, handle?: object): void {
    if (!worker.connected) return;
    // A worker that dies while a handle is on its way: the exit handler takes over from here.
    worker.send(message, handle as net.Server | undefined, (error) => {
      if (error && worker.connected) this.o.log(`worker: ${error.message}`);
    });
  }

  private shutDown(): void {
    for (const { handle } of this.ports.values()) handle.close();
    this.control.close();
    rmSync(this.o.paths.socket, { force: true });
    this.o.exit(0);
  }
}
