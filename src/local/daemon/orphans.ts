// After a crash (kill -9 of the daemon) its containers may still run, holding ports with no
// proxy in front of them. A process is only killed when it provably is that container: the
// recorded pid, started at the recorded moment, leading its own process group (a pid may have
// been reused since). A container whose pid never reached the store is found by the pid file it
// wrote itself before its command ran.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  isRunning,
  type ProcessIdentity,
  signalGroup,
  startedAtMs,
  startTicksOf,
} from '../runtime/process-identity.ts';
import type { ContainerRecord, Store } from '../store/store.ts';

/** How much earlier than its record a container's process may seem to start (clock granularity). */
const START_SLACK_MS = 2_000;

/** The recorded container's process, if it still runs. */
export function runningProcess(container: ContainerRecord, pidDir: string): ProcessIdentity | null {
  if (container.pid !== null) {
    const identity = { pid: container.pid, startTicks: container.startTicks ?? null };
    return isRunning(identity) ? identity : null;
  }
  // Killed between spawning it and recording its pid: the container wrote its own.
  let pid: number;
  try {
    pid = Number(readFileSync(join(pidDir, `${container.id}.pid`), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const startTicks = startTicksOf(pid);
  const startedAt = startTicks === null ? null : startedAtMs(startTicks);
  // Only a process that started after the container was recorded (less clock slack) can be it.
  if (startedAt === null || startedAt < container.startedAt - START_SLACK_MS) return null;
  const identity = { pid, startTicks };
  return isRunning(identity) ? identity : null;
}

/** Kills the process groups of containers a previous daemon left running; returns their ids. */
export function killOrphans(store: Store, pidDir: string, at: number): string[] {
  const killed: string[] = [];
  for (const container of store.liveContainers()) {
    const running = runningProcess(container, pidDir);
    if (running && signalGroup(running.pid, 'SIGKILL')) killed.push(container.id);
    rmSync(join(pidDir, `${container.id}.pid`), { force: true });
    store.containerExited(container.id, at);
  }
  return killed;
}
