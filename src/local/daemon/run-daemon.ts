// `cutover daemon run` and its worker. `run` is the supervisor (supervisor.ts): it holds a lock
// (the pid file) so two daemons never share a state directory, and the sockets. The worker owns
// the local platform: the store, the engine, the containers and proxies. The CLI starts `run`
// detached, in its own session, so a closed terminal or a dropped SSH connection never reaches it;
// systemd may run it in the foreground instead (`cutover daemon install`).
import { readFileSync, unlinkSync } from 'node:fs';
import { ensureStateHome, type StatePaths } from '../paths.ts';
import { lock, lockHolder } from './daemon-lock.ts';
import { LocalRuntime } from './local-runtime.ts';
import { serve } from './server.ts';
import { Supervisor } from './supervisor.ts';
import { SupervisorLink } from './supervisor-link.ts';

/** How long a stopping daemon lets requests in flight finish. */
const DRAIN_MS = 10_000;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The supervisor: runs until stopped; its worker serves. */
export function runDaemon(paths: StatePaths, env: NodeJS.ProcessEnv, entry: string): Promise<number> {
  ensureStateHome(paths);
  if (!lock(paths)) {
    process.stderr.write(`cutover daemon: already running (pid ${readFileSync(paths.pidFile, 'utf8')})\n`);
    return Promise.resolve(0);
  }
  const log = (line: string) => process.stderr.write(`cutover daemon: ${line}\n`);
  const exit = (code: number) => {
    if (lockHolder(paths) === process.pid) unlinkSync(paths.pidFile);
    process.exit(code);
  };
  process.on('uncaughtException', (error) => {
    log(`supervisor: ${describe(error)}`);
    exit(70); // the worker sees its channel close, drains and exits; the apps keep running
  });
  const supervisor = Supervisor.start({ paths, env, entry, log, exit });
  process.on('SIGTERM', () => supervisor.stop());
  process.on('SIGINT', () => supervisor.stop());
  // Detached in its own session: a hangup is not ours to act on.
  process.on('SIGHUP', () => undefined);
  log(`supervisor pid ${process.pid} holds ${paths.socket}`);
  return new Promise<number>(() => undefined);
}

/** The worker, started by the supervisor with its sockets. */
export async function runWorker(paths: StatePaths, env: NodeJS.ProcessEnv): Promise<number> {
  const link = await SupervisorLink.connect();
  const startedAt = performance.now();
  // Nothing unexpected may leave the daemon half-alive: it says what happened and exits, and the
  // supervisor starts another, which restores every app from the records and adopts its containers.
  const die = (error: unknown) => {
    process.stderr.write(
      `cutover daemon: ${describe(error)}\ncutover daemon: worker exiting; a new one restores from the records\n`,
    );
    process.exit(70);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  const runtime = await LocalRuntime.start({ paths, env, fatal: die, listeners: link, secretKeeper: link });
  let stopping = false;
  const stop = async (apps: boolean) => {
    if (stopping) return;
    stopping = true;
    link.stopping();
    await runtime.drain(DRAIN_MS);
    server.close();
    await (apps ? runtime.close() : runtime.release());
    process.exit(0);
  };
  const server = await serve(runtime, { handle: link.control }, (apps) => stop(apps).catch(die));
  link.whenStopped((apps) => stop(apps).catch(die));
  // The supervisor is gone (killed): stop cleanly; the next daemon adopts the apps.
  process.on('disconnect', () => stop(false).catch(die));
  process.on('SIGTERM', () => stop(false).catch(die));
  process.on('SIGINT', () => undefined); // the supervisor decides (a ^C reaches the whole group)
  process.on('SIGHUP', () => undefined);
  link.serving();
  // What a restart costs, for the operator reading the log (A1): restoring the apps and adopting
  // their containers, from the moment the supervisor handed this (spare, loaded) worker its sockets.
  const restoreMs = Math.round(performance.now() - startedAt);
  process.stderr.write(
    `cutover daemon: worker pid ${process.pid} serving ${paths.socket} (apps restored in ${restoreMs} ms)\n`,
  );
  return new Promise<number>(() => undefined);
}
