// Which process is a container, by what the process cannot change about itself: its pid, the
// time it started (fixed at fork, kept across exec) and its process group, of which a container
// is the leader. Never by its environment or title, which a program may overwrite (nginx does).
import { readFileSync } from 'node:fs';

/** A process as recorded when it started. */
export interface ProcessIdentity {
  pid: number;
  /** Its start time in clock ticks since boot (/proc/PID/stat field 22); null where unknown. */
  startTicks: number | null;
}

interface ProcStat {
  state: string;
  pgrp: number;
  startTicks: number;
}

function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // gone, or no /proc here
  }
  // The name (field 2) may hold spaces and parentheses: fields are counted from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', pgrp: Number(fields[2]), startTicks: Number(fields[19]) };
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** A live process's start time, read once it exists (even before it has exec'd). */
export function startTicksOf(pid: number): number | null {
  const stat = procStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTicks : null;
}

/**
 * Whether the recorded container still runs: that pid, started at that moment, leading its own
 * process group, and not a zombie. Where /proc is missing only the pid can be checked.
 */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!hasProc) {
    try {
      process.kill(identity.pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = procStat(identity.pid);
  if (!stat || stat.state === 'Z' || stat.pgrp !== identity.pid) return false;
  return identity.startTicks === null || stat.startTicks === identity.startTicks;
}

/** Milliseconds since the epoch at which a process with these start ticks started (Linux). */
export function startedAtMs(startTicks: number): number | null {
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    // USER_HZ is 100 on every Linux architecture cutover runs on.
    return btime ? Number(btime[1]) * 1000 + startTicks * 10 : null;
  } catch {
    return null;
  }
}

/** Sends a signal to a container's whole process group; false when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
