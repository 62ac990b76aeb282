// Where the local platform keeps its state: CUTOVER_HOME, else the XDG state directory.
// Everything under it is the owner's alone (0700 directories, 0600 files).
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The files and folders of one state directory. */
export interface StatePaths {
  home: string;
  socket: string;
  database: string;
  pidFile: string;
  daemonLog: string;
  secretKey: string;
  images: string;
  logs: string;
}

export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CUTOVER_HOME) return resolve(env.CUTOVER_HOME);
  const xdg = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(xdg, 'cutover');
}

export function statePaths(home: string): StatePaths {
  return {
    home,
    socket: join(home, 'daemon.sock'),
    database: join(home, 'cutover.db'),
    pidFile: join(home, 'daemon.pid'),
    daemonLog: join(home, 'daemon.log'),
    secretKey: join(home, 'secret.key'),
    images: join(home, 'images'),
    logs: join(home, 'logs'),
  };
}

/** Creates the state directory owner-only, narrowing it if it already exists wider. */
export function ensureStateHome(paths: StatePaths): void {
  for (const dir of [paths.home, paths.images, paths.logs]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
}
