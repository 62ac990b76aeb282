// `cutover daemon run`: the process that owns the local platform. It holds a lock (the pid
// file) so two daemons never share a state directory, serves the socket, and on SIGTERM stops
// its containers and proxies cleanly. The CLI starts it detached, in its own session, so a
// closed terminal or a dropped SSH connection never reaches it.
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { ensureStateHome, type StatePaths } from '../paths.ts';
import { LocalRuntime } from './local-runtime.ts';
import { serve } from './server.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A daemon killed with -9 stays a zombie until it is reaped, and a zombie holds no lock.
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // gone since the signal check
  }
}

/** Takes the pid-file lock; false when another live daemon holds it. */
function lock(paths: StatePaths): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(paths.pidFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(paths.pidFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) return false;
      unlinkSync(paths.pidFile); // stale: its daemon died without cleaning up
    }
  }
  return false;
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function runDaemon(paths: StatePaths, env: NodeJS.ProcessEnv): Promise<number> {
  ensureStateHome(paths);
  if (!lock(paths)) {
    process.stderr.write(`cutover daemon: already running (pid ${readFileSync(paths.pidFile, 'utf8')})\n`);
    return 0;
  }
  if (existsSync(paths.socket)) {
    if (await socketAnswers(paths.socket)) return 0;
    unlinkSync(paths.socket);
  }
  // Nothing unexpected may leave the daemon half-alive: it says what happened and exits, and the
  // next start restores every app from the records (which are written before anything is done).
  const die = (error: unknown) => {
    process.stderr.write(
      `cutover daemon: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` +
        'cutover daemon: exiting; the next start restores every app from the records\n',
    );
    process.exit(70);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  const runtime = await LocalRuntime.start({ paths, env, fatal: die });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await runtime.close();
    try {
      unlinkSync(paths.socket);
    } catch {}
    try {
      unlinkSync(paths.pidFile);
    } catch {}
    process.exit(0);
  };
  const server = await serve(runtime, paths.socket, () => stop().catch(die));
  process.on('SIGTERM', () => stop().catch(die));
  process.on('SIGINT', () => stop().catch(die));
  // Detached in its own session: a hangup is not ours to act on.
  process.on('SIGHUP', () => undefined);
  process.stderr.write(`cutover daemon: pid ${process.pid} serving ${paths.socket}\n`);
  return new Promise<number>(() => undefined);
}
