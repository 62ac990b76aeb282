// After a crash (kill -9 of the daemon) its containers may still run, holding ports with no
// proxy in front of them. The store knows their pids; a process is only killed when its
// environment proves it is that container (a pid may have been reused since).
import { readFileSync } from 'node:fs';
import type { Store } from '../store/store.ts';

function isThatContainer(pid: number, containerId: string): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    return environ.split('\0').includes(`CUTOVER_CONTAINER=${containerId}`);
  } catch {
    return false; // gone, or not ours to read
  }
}

/** Kills the process groups of containers a previous daemon left running; returns their ids. */
export function killOrphans(store: Store, at: number): string[] {
  const killed: string[] = [];
  for (const container of store.liveContainers()) {
    if (container.pid !== null && isThatContainer(container.pid, container.id)) {
      try {
        process.kill(-container.pid, 'SIGKILL');
        killed.push(container.id);
      } catch {
        // Already gone between the check and the kill.
      }
    }
    store.containerExited(container.id, at);
  }
  return killed;
}
