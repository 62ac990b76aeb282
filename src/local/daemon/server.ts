// The daemon's Unix socket: one JSON request per line, answered by the local runtime.
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { SecretValues } from './command-api.ts';
import type { LocalRuntime } from './local-runtime.ts';
import { DaemonError, type Request, type Requests, type Response } from './protocol.ts';
import { watchFeed } from './watch-feed.ts';

/** Requests are small (a path, an app name); this bounds what one connection can make us hold. */
const MAX_LINE = 1024 * 1024;

/** A request, or why the line is not one. A malformed client never reaches the runtime. */
function parseRequest(line: string): Request | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null) return 'a request is a JSON object';
  const { id, method, params } = value as Record<string, unknown>;
  if (typeof id !== 'number' || typeof method !== 'string')
    return 'a request needs a numeric id and a method';
  if (typeof params !== 'object' || params === null) return 'a request needs params (an object)';
  return value as Request;
}

function send(socket: Socket, response: Response): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
}

function failure(id: number, error: unknown): Response {
  if (error instanceof DaemonError) {
    return {
      id,
      error: {
        code: error.daemonCode,
        message: error.message,
        ...(error.detail ? { detail: error.detail } : {}),
      },
    };
  }
  return { id, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
}

async function answer(
  runtime: LocalRuntime,
  request: Request,
  onStop: (apps: boolean) => void,
  connections: Set<Socket>,
): Promise<unknown> {
  const p = request.params as Record<string, never> & Record<string, unknown>;
  switch (request.method) {
    case 'deploy':
      return runtime.deploy(String(p.dir), String(p.user), p.strategy as never, secretsOf(p));
    case 'rollback':
      return runtime.rollback(
        String(p.app),
        p.to as number | undefined,
        String(p.user),
        p.strategy as never,
        secretsOf(p),
      );
    case 'rollover':
      return runtime.rollover(String(p.app), String(p.user), p.strategy as never, secretsOf(p));
    case 'secret-names':
      return runtime.secretNames(String(p.app));
    case 'stop':
      return runtime.stop(String(p.app), String(p.user));
    case 'pause':
      return runtime.pause(String(p.app), String(p.user));
    case 'resume':
      return runtime.resume(String(p.app), String(p.user));
    case 'snapshot': {
      const snapshot = runtime.snapshot(String(p.app));
      return p.metrics === false ? { ...snapshot, metrics: [] } : snapshot;
    }
    case 'history':
      return runtime.history(String(p.app), Number(p.limit));
    case 'apps':
      return runtime.apps();
    case 'daemon.status': {
      // What the daemon holds for its clients: bounded by latest-wins feeds, however slow they read.
      let bufferedBytes = 0;
      for (const socket of connections) bufferedBytes += socket.writableLength;
      return { ...runtime.daemonStatus(), connections: connections.size, bufferedBytes };
    }
    case 'daemon.stop':
      setImmediate(() => onStop(p.apps === true));
      return { stopping: true };
    default:
      throw new DaemonError('bad-request', `unknown method ${String(request.method)}`);
  }
}

/** A request's secret values and allowed-missing names, as strings only. */
function secretsOf(p: Record<string, unknown>): SecretValues {
  const values: Record<string, string> = {};
  if (typeof p.secrets === 'object' && p.secrets !== null) {
    for (const [name, value] of Object.entries(p.secrets))
      if (typeof value === 'string') values[name] = value;
  }
  const allowMissing = Array.isArray(p.allowMissingSecrets)
    ? p.allowMissingSecrets.filter((n): n is string => typeof n === 'string')
    : [];
  return { values, allowMissing };
}

/** The listening socket; `close` also drops open connections (watchers see the feed end). */
export interface DaemonServer {
  close(): void;
}

/**
 * Listens on `socketPath` (0600; its directory is already 0700), or on the control socket the
 * supervisor bound and holds (A1), which outlives this process.
 */
export function serve(
  runtime: LocalRuntime,
  on: string | { handle: object },
  onStop: (apps: boolean) => void,
): Promise<DaemonServer> {
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    let buffer = '';
    const unsubscribes: Array<() => void> = [];
    socket.on('close', () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      if (buffer.length > MAX_LINE && buffer.indexOf('\n') < 0) {
        // No request is this long: a client that never ends its line is cut off, not buffered.
        send(socket, {
          id: 0,
          error: { code: 'bad-request', message: `request longer than ${MAX_LINE} bytes` },
        });
        socket.destroy();
        return;
      }
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const request = parseRequest(line);
        if (typeof request === 'string') {
          send(socket, { id: 0, error: { code: 'bad-request', message: request } });
          continue;
        }
        if (request.method === 'watch') {
          try {
            const params = request.params as Requests['watch']['params'];
            const feed = watchFeed(socket, request.id, { appendedMetrics: params.metrics === 'appended' });
            unsubscribes.push(runtime.watch(String(params.app), feed));
          } catch (error) {
            send(socket, failure(request.id, error));
          }
          continue;
        }
        answer(runtime, request, onStop, connections).then(
          (result) => send(socket, { id: request.id, result }),
          (error: unknown) => send(socket, failure(request.id, error)),
        );
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const listening = () => {
      if (typeof on === 'string') chmodSync(on, 0o600);
      resolve({
        close() {
          server.close();
          for (const socket of connections) socket.destroy();
        },
      });
    };
    // The supervisor's socket is a Pipe handle: a server listens on it by its descriptor.
    if (typeof on === 'string') server.listen(on, listening);
    else server.listen({ fd: (on.handle as { fd: number }).fd }, listening);
  });
}
