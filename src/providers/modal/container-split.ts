// Which version a container runs is not in `modal container list` (nor in any public API: the
// version split Modal's own recreate uses is each task's enqueue time against the deploy time,
// py/modal/runner.py `_stop_and_wait_for_containers`, via gRPC only). cutover tells them apart
// the closest public way: a container that started before the live version was deployed is old
// (outdated: Modal replaces it, taking it no new inputs, so it is draining); one started since,
// or still Pending, runs the live version.
import type { ContainerSummary } from '../../engine/snapshot.ts';
import type { ModalContainer } from './parse-containers.ts';
import type { ModalVersion } from './parse-history.ts';

/** The function column when an app has several: Modal does not say which one a container serves. */
export const anyFunction = 'all functions';

/** How the split is known, said on screen (events, the rollout's progress line). */
export function splitNote(live: ModalVersion): string {
  const when = live.deployedAt === null ? 'its deploy' : new Date(live.deployedAt).toISOString();
  return `old/new containers are told apart by start time against v${live.version}'s deploy time (${when}): Modal does not say which version a container runs`;
}

export function splitContainers(
  containers: ModalContainer[],
  history: ModalVersion[],
  functionNames: string[],
): ContainerSummary[] {
  const live = history[0];
  if (live === undefined) return [];
  const previous = history[1]?.version ?? live.version;
  const fn = functionNames.length === 1 ? functionNames[0]! : anyFunction;
  return containers.map((c): ContainerSummary => {
    const base = { id: c.id, function: fn, inFlight: null, startedAt: c.startedAt, restarts: null };
    if (c.startedAt === null) return { ...base, version: live.version, state: 'starting', reason: 'Pending' };
    if (live.deployedAt === null || c.startedAt >= live.deployedAt) {
      return { ...base, version: live.version, state: 'ready', reason: null };
    }
    return {
      ...base,
      version: previous,
      state: 'draining',
      reason: `started before v${live.version} was deployed`,
    };
  });
}
