// Where the local platform keeps its state: CUTOVER_HOME, else the XDG state directory.
// Everything under it is the owner's alone (0700 directories, 0600 files), and nothing in it is
// trusted unless the directory is: owned by the user running cutover and writable by no one else.
// A symbolic link where a state file belongs is refused, never followed.
import { chmodSync, constants, lstatSync, mkdirSync, openSync, type Stats, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DaemonError } from './daemon/protocol.ts';

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
  /** Each container's pid file, written by the container itself before its command runs. */
  run: string;
  /** Each container's writable directory ($TMPDIR, $HOME): its image is read-only. */
  scratch: string;
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
    run: join(home, 'run'),
    scratch: join(home, 'scratch'),
  };
}

function refuse(problem: string): never {
  throw new DaemonError('unsafe-home', problem);
}

/** Refuses a directory someone else owns or could write into; null when it does not exist. */
function checkDirectory(dir: string, what: string, follow: boolean): Stats | null {
  let info: Stats;
  try {
    info = follow ? statSync(dir) : lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (info.isSymbolicLink())
    refuse(`${dir} is a symbolic link; refusing to follow it (remove it if you did not make it)`);
  if (!info.isDirectory()) refuse(`${what} ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    refuse(
      `${what} ${dir} is owned by uid ${info.uid}, not by you (uid ${uid}); refusing to use it. ` +
        'Set CUTOVER_HOME to a directory of your own.',
    );
  }
  if ((info.mode & 0o022) !== 0) {
    refuse(
      `${what} ${dir} is writable by others (mode ${(info.mode & 0o777).toString(8)}); refusing to use it: ` +
        'anyone could plant files the daemon trusts. Use a new directory, or chmod 700 it if only you wrote in it.',
    );
  }
  return info;
}

/** The state files that must never be symbolic links (the daemon writes or trusts them). */
function stateFiles(paths: StatePaths): string[] {
  const { database } = paths;
  return [
    paths.socket,
    database,
    `${database}-wal`,
    `${database}-shm`,
    paths.pidFile,
    paths.daemonLog,
    paths.secretKey,
  ];
}

/** Checks an existing state directory without changing anything (a client before it connects). */
export function checkStateHome(paths: StatePaths): void {
  if (checkDirectory(paths.home, 'the state directory', true) === null) return;
  for (const file of stateFiles(paths)) refuseSymlink(file);
}

/** Creates the state directory owner-only, or checks the one there and narrows it to 0700. */
export function ensureStateHome(paths: StatePaths): void {
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  checkDirectory(paths.home, 'the state directory', true);
  chmodSync(paths.home, 0o700);
  for (const dir of [paths.images, paths.logs, paths.run, paths.scratch]) {
    if (checkDirectory(dir, 'the state directory', false) === null) mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  for (const file of stateFiles(paths)) refuseSymlink(file);
}

function refuseSymlink(file: string): void {
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (link) refuse(`${file} is a symbolic link; refusing to follow it (remove it if you did not make it)`);
}

/** Opens a state file without following a symbolic link (O_NOFOLLOW); a link is refused clearly. */
export function openStateFile(file: string, flags: number, mode = 0o600): number {
  try {
    return openSync(file, flags | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      refuse(`${file} is a symbolic link; refusing to follow it (remove it if you did not make it)`);
    throw error;
  }
}
