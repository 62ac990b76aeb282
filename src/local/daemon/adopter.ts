// A1: after a restart the new daemon adopts the containers the old one left running instead of
// killing and cold-starting them. A container is adopted when its recorded process provably
// still runs (pid, start time, process group), its app is deployed, its version and function
// still exist, and its port is known; it is then re-probed, and routed to again once ready.
// Anything else that still runs is killed, so nothing runs that the daemon does not manage.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AdoptedContainer } from '../../engine/restore.ts';
import type { AppRecord, FunctionSpec, Version } from '../../engine/types.ts';
import type { StatePaths } from '../paths.ts';
import {
  isRunning,
  type ProcessIdentity,
  signalGroup,
  startedAtMs,
  startTicksOf,
} from '../runtime/process-identity.ts';
import { waitUntilReady } from '../runtime/readiness.ts';
import type { ContainerRecord, Store } from '../store/store.ts';

// A ready container answers its check within this; a slower one is adopted as starting and
// probed again like a new one (never killed for being slow under load).
const PROBE_MS = 1_000;

/** How much earlier than its record a container's process may seem to start (clock granularity). */
const START_SLACK_MS = 2_000;

/**
 * The recorded container's process, if it still runs: the recorded pid started at the recorded
 * moment and leading its own group (a pid may have been reused since). A container killed before
 * its pid reached the store is found by the pid file it wrote itself before its command ran.
 */
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

/** A container to take over, with what the launcher needs to route to it and watch it. */
export interface Adoption extends AdoptedContainer {
  identity: ProcessIdentity;
  port: number;
  appName: string;
  ready: boolean;
  /** How its function probes readiness (H1): until ready, then for as long as it runs. */
  probe: Pick<FunctionSpec, 'ready' | 'probePeriodMs' | 'probeTimeoutMs' | 'probeFailures'>;
}

function functionOf(
  container: ContainerRecord,
  records: Array<{ app: AppRecord; versions: Version[] }>,
): { app: AppRecord; fn: FunctionSpec } | null {
  const entry = records.find((r) => r.app.id === container.appId);
  if (entry?.app.status !== 'deployed') return null;
  const fn = entry.versions[container.version - 1]?.spec.functions.find((f) => f.name === container.function);
  return fn ? { app: entry.app, fn } : null;
}

/** Finds the containers to adopt; kills and records as exited every other one still recorded live. */
export async function adoptOrKill(
  store: Store,
  dirs: ContainerDirs,
  records: Array<{ app: AppRecord; versions: Version[] }>,
  at: number,
): Promise<Adoption[]> {
  const candidates: Array<Omit<Adoption, 'ready'>> = [];
  for (const container of store.liveContainers()) {
    const identity = runningProcess(container, dirs.run);
    const owner = functionOf(container, records);
    if (identity && owner && container.port != null) {
      candidates.push({
        id: container.id,
        appId: container.appId,
        appName: owner.app.name,
        function: container.function,
        version: container.version,
        identity,
        port: container.port,
        probe: {
          ready: owner.fn.ready,
          probePeriodMs: owner.fn.probePeriodMs,
          probeTimeoutMs: owner.fn.probeTimeoutMs,
          probeFailures: owner.fn.probeFailures,
        },
      });
      continue;
    }
    if (identity) signalGroup(identity.pid, 'SIGKILL');
    forget(dirs, container.id);
    store.containerExited(container.id, at);
  }
  return Promise.all(
    candidates.map(async (c) => ({
      ...c,
      ready: await waitUntilReady({
        port: c.port,
        ready: c.probe.ready,
        signal: AbortSignal.timeout(PROBE_MS),
        intervalMs: 20,
      }).then(
        () => true,
        () => false,
      ),
    })),
  );
}

/** Stops a container the engine would not take after all (its app or version changed). */
export function dismiss(store: Store, dirs: ContainerDirs, adoption: Adoption, at: number): void {
  signalGroup(adoption.identity.pid, 'SIGKILL');
  forget(dirs, adoption.id);
  store.containerExited(adoption.id, at);
}

/** Where containers keep their pid files and scratch directories. */
export type ContainerDirs = Pick<StatePaths, 'run' | 'scratch'>;

/** Removes what a container that no longer runs left: its pid file and scratch directory. */
function forget(dirs: ContainerDirs, containerId: string): void {
  rmSync(join(dirs.run, `${containerId}.pid`), { force: true });
  rmSync(join(dirs.scratch, containerId), { recursive: true, force: true });
}
