// Reading a process's CPU time and children from /proc (Linux), for the watch-screen benchmark.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/** The fields of /proc/PID/stat after the command name (which may contain spaces and parens). */
function statFields(pid: number): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of the process, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // proc(5): utime and stime are fields 14 and 15; fields[0] here is field 3 (state).
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The pids whose parent is `parent`. */
export function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(Number(entry))[1]) === parent) children.push(Number(entry));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return children;
}

/**
 * CPU time of every thread of the process, in seconds, to the nanosecond (the scheduler's own
 * account in /proc/PID/task/TID/schedstat): a screen that uses a few milliseconds a second needs
 * finer than utime's 10 ms ticks.
 */
export function cpuSecondsFine(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e9;
}
