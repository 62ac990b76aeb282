// Talking to the daemon over its socket, and starting it when it is not running (as process
// managers do). Requests share one connection; each watch has its own.
import { spawn } from 'node:child_process';
import { closeSync, constants, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { FeedState } from '../../engine/provider.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import { checkStateHome, ensureStateHome, openStateFile, type StatePaths } from '../paths.ts';
import { metricsDecoder } from './metric-window.ts';
import type { ErrorCode, Method, Requests, Response } from './protocol.ts';
import { DaemonError } from './protocol.ts';

// A screen's watch that lost the daemon tries again after 250 ms, then twice as long each time,
// up to 5 s. A watch without a screen tries every 200 ms for 30 s (a daemon restart takes well
// under a second) before it reports the loss.
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;
const RECONNECT_FOR_MS = 30_000;
const RECONNECT_EVERY_MS = 200;

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
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  /** The requests' connection; null once it closed (the next request opens another). */
  private socket: Socket | null;
  private closed = false;

  private constructor(
    socket: Socket,
    readonly paths: StatePaths,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  private attach(socket: Socket): void {
    onResponses(socket, (response) => {
      const waiter = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      if (!waiter) return;
      if ('error' in response)
        waiter.reject(new DaemonError(response.error.code, response.error.message, response.error.detail));
      else waiter.resolve(response.result);
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      for (const waiter of this.waiting.values())
        waiter.reject(new DaemonError('internal', 'the daemon closed the connection'));
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
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const send = (socket: Socket) => {
        this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        socket.write(`${JSON.stringify({ id, method, params })}\n`);
      };
      if (this.socket !== null) return send(this.socket);
      if (this.closed) return reject(new DaemonError('internal', 'the connection to the daemon is closed'));
      // The daemon went away and maybe came back (a screen outlives it): connect again, once.
      open(this.paths.socket).then(
        (socket) => {
          if (this.closed) {
            socket.destroy();
            return reject(new DaemonError('internal', 'the connection to the daemon is closed'));
          }
          if (this.socket === null) {
            this.socket = socket;
            this.attach(socket);
          } else socket.destroy();
          send(this.socket);
        },
        (error: unknown) => reject(notRunning(this.paths, error)),
      );
    });
  }

  /**
   * Streams the app's snapshots on a connection of its own; returns the unsubscribe. With
   * `onFeed` (a screen), a lost daemon is not the end: the watch says so, reconnects with a
   * growing pause, and says so again when snapshots flow. Without it, a restart under the
   * supervisor (which holds the socket) is waited out silently, and a daemon that stopped for good
   * (the socket refuses or is gone) is an error at once.
   */
  watch(
    app: string,
    onSnapshot: (s: Snapshot) => void,
    onError: (e: Error) => void,
    onFeed?: (state: FeedState) => void,
  ): () => void {
    let socket: Socket | null = null;
    let closed = false;
    let attempt = 0;
    let live = true;
    let lastData = Date.now();
    let lostAt: number | null = null;
    let retry: NodeJS.Timeout | null = null;
    const fail = (error: Error) => {
      closed = true;
      onError(error);
    };
    const lost = (why: string, error?: NodeJS.ErrnoException) => {
      if (closed) return;
      if (onFeed === undefined) {
        if (socket === null && error !== undefined) return fail(error); // never connected
        lostAt ??= Date.now();
        const gone = ['ECONNREFUSED', 'ENOENT'].includes(error?.code ?? '');
        if (gone || Date.now() - lostAt > RECONNECT_FOR_MS)
          return fail(new DaemonError('internal', 'lost the connection to the daemon'));
        retry = setTimeout(connectOnce, RECONNECT_EVERY_MS);
        return;
      }
      attempt++;
      live = false;
      onFeed({ live: false, message: `${why}; reconnecting (attempt ${attempt})…`, since: lastData });
      const pause = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** (attempt - 1));
      retry = setTimeout(connectOnce, pause);
    };
    const connectOnce = () => {
      retry = null;
      if (closed) return;
      open(this.paths.socket).then(
        (s) => {
          if (closed) return s.destroy();
          socket = s;
          // Each connection starts from a whole snapshot; updates build on it.
          const decode = metricsDecoder();
          onResponses(s, (response) => {
            if (s.destroyed) return;
            if ('error' in response) {
              // The daemon answered, and refused: that is for good (an unknown app).
              s.destroy();
              fail(new DaemonError(response.error.code, response.error.message));
              return;
            }
            lastData = Date.now();
            lostAt = null;
            if (!live) {
              live = true;
              attempt = 0;
              onFeed?.({ live: true });
            }
            let snapshot: Snapshot;
            try {
              snapshot = decode(response.result as Requests['watch']['result']);
            } catch {
              // An update that does not fit what arrived before: start again from a whole one.
              s.destroy();
              return;
            }
            onSnapshot(snapshot);
          });
          s.on('error', () => s.destroy()); // 'close' follows and says what happened
          s.on('close', () => lost('lost the connection to the daemon'));
          s.write(`${JSON.stringify({ id: 1, method: 'watch', params: { app, metrics: 'appended' } })}\n`);
        },
        (error: NodeJS.ErrnoException) =>
          lost(`the daemon is not answering (${error.code ?? error.message})`, error),
      );
    };
    connectOnce();
    return () => {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      socket?.destroy();
    };
  }

  close(): void {
    this.closed = true;
    this.socket?.end();
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
