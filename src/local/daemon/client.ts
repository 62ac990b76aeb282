// Talking to the daemon over its socket, and starting it when it is not running (as process
// managers do). Requests share one connection, and fail at once once it is closed; each watch
// has its own, which reconnects when the daemon restarts (A1).
import { spawn } from 'node:child_process';
import { closeSync, constants, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { checkStateHome, ensureStateHome, openStateFile, type StatePaths } from '../paths.ts';
import type { ErrorCode, Method, Requests, Response } from './protocol.ts';
import { DaemonError } from './protocol.ts';

function open(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

// A watch whose connection was lost tries again this long (a daemon restart takes well under a
// second) before it reports the loss.
const RECONNECT_FOR_MS = 30_000;
const RECONNECT_EVERY_MS = 200;

/** Reads newline-delimited JSON responses off a socket; a line that is not JSON ends the connection. */
function onResponses(socket: Socket, handle: (response: Response) => void): void {
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      let response: Response;
      try {
        response = JSON.parse(line) as Response;
      } catch {
        socket.destroy();
        return;
      }
      handle(response);
    }
  });
}

export class DaemonClient {
  private nextId = 1;
  /** Why requests fail from now on: the connection is gone. */
  private lost: DaemonError | null = null;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly socket: Socket,
    readonly paths: StatePaths,
  ) {
    onResponses(socket, (response) => {
      const waiter = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      if (!waiter) return;
      if ('error' in response)
        waiter.reject(new DaemonError(response.error.code, response.error.message, response.error.detail));
      else waiter.resolve(response.result);
    });
    socket.on('error', () => socket.destroy()); // 'close' follows and says so
    socket.on('close', () => {
      this.lost = new DaemonError('internal', 'the daemon closed the connection');
      for (const waiter of this.waiting.values()) waiter.reject(this.lost);
      this.waiting.clear();
    });
  }

  /** Connects, starting the daemon first if `start` and nothing answers. */
  static async connect(
    paths: StatePaths,
    options: { start: boolean; entry: string; env: NodeJS.ProcessEnv },
  ): Promise<DaemonClient> {
    // Someone else's directory, or one others can write into, is never used (not even its socket).
    checkStateHome(paths);
    try {
      return new DaemonClient(await open(paths.socket), paths);
    } catch (error) {
      if (!options.start) throw notRunning(paths, error);
    }
    await startDaemon(paths, options.entry, options.env);
    return new DaemonClient(await open(paths.socket), paths);
  }

  request<M extends Method>(method: M, params: Requests[M]['params']): Promise<Requests[M]['result']> {
    if (this.lost) return Promise.reject(this.lost);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /**
   * Streams the app's snapshots on a connection of its own; returns the unsubscribe. A lost
   * connection is opened again (the daemon restarted) before anything is reported.
   */
  watch(
    app: string,
    onSnapshot: (s: Requests['watch']['result']) => void,
    onError: (e: Error) => void,
  ): () => void {
    let socket: Socket | null = null;
    let closed = false;
    let lostAt: number | null = null;
    const fail = (error: Error) => {
      if (closed) return;
      closed = true;
      onError(error);
    };
    const retry = (error: Error) => {
      if (closed) return;
      lostAt ??= Date.now();
      // Never connected, or nothing listens any more (a restarting daemon's supervisor keeps its
      // socket, so a refused connection means it stopped): the caller must hear it now.
      const gone = ['ECONNREFUSED', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '');
      if (socket === null) return fail(error);
      if (gone || Date.now() - lostAt > RECONNECT_FOR_MS)
        return fail(new DaemonError('internal', 'lost the connection to the daemon'));
      setTimeout(subscribe, RECONNECT_EVERY_MS);
    };
    const subscribe = () => {
      if (closed) return;
      open(this.paths.socket).then(
        (s) => {
          if (closed) return s.destroy();
          socket = s;
          onResponses(s, (response) => {
            lostAt = null;
            if ('error' in response) fail(new DaemonError(response.error.code, response.error.message));
            else onSnapshot(response.result as Requests['watch']['result']);
          });
          s.on('error', () => s.destroy());
          s.on('close', () => retry(new DaemonError('internal', 'lost the connection to the daemon')));
          s.write(`${JSON.stringify({ id: 1, method: 'watch', params: { app } })}\n`);
        },
        (error: Error) => retry(error),
      );
    };
    subscribe();
    return () => {
      closed = true;
      socket?.destroy();
    };
  }

  close(): void {
    this.socket.end();
  }
}

function notRunning(paths: StatePaths, error: unknown): DaemonError {
  const code = (error as NodeJS.ErrnoException).code;
  return new DaemonError('internal', `the daemon is not running (${paths.socket}: ${code ?? String(error)})`);
}

/** Starts `cutover daemon run` detached (its own session), then waits for its socket. */
export async function startDaemon(paths: StatePaths, entry: string, env: NodeJS.ProcessEnv): Promise<number> {
  ensureStateHome(paths);
  const log = openStateFile(paths.daemonLog, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
  const child = spawn(process.execPath, [entry, 'daemon', 'run'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...env, CUTOVER_HOME: paths.home },
  });
  closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      (await open(paths.socket)).destroy();
      return child.pid ?? 0;
    } catch {
      // Exit 0 means another daemon won the race to start; its socket appears shortly.
      if (exited !== null && exited !== 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const tail = readFileSync(paths.daemonLog, 'utf8').split('\n').slice(-10).join('\n');
  throw new DaemonError('internal' as ErrorCode, `the daemon did not start; its log ends:\n${tail}`);
}
