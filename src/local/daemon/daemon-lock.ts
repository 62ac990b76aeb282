// The daemon's lock: a pid file only one live supervisor holds per state directory.
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { StatePaths } from '../paths.ts';

/** Whether a process runs (a zombie does not: a daemon killed with -9 stays one until reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!existsSync('/proc/self/stat')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // gone since the signal check
  }
}

/** The pid in the lock file, if a live process holds it. */
export function lockHolder(paths: StatePaths): number | null {
  try {
    const holder = Number(readFileSync(paths.pidFile, 'utf8'));
    return Number.isInteger(holder) && holder > 0 && alive(holder) ? holder : null;
  } catch {
    return null;
  }
}

/** Takes the pid-file lock; false when another live daemon holds it. */
export function lock(paths: StatePaths): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(paths.pidFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(paths);
      if (holder !== null && holder !== process.pid) return false;
      unlinkSync(paths.pidFile); // stale: its daemon died without cleaning up
    }
  }
  return false;
}
