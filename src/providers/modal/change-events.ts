// What changed between two looks at a Modal app, as event-log lines: a new version, containers
// appearing, starting and going (so a recreate is visible as it happens), inputs becoming
// (un)reported, the app stopping. The first look says how old and new containers are told apart.
import type { ContainerSummary, Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent } from '../../engine/types.ts';
import { splitNote } from './container-split.ts';
import type { Observation } from './to-snapshot.ts';

function containerEvent(
  at: number,
  appId: string,
  c: ContainerSummary,
  kind: string,
  what: string,
): AppEvent {
  return {
    at,
    appId,
    level: 'info',
    kind,
    message: `container ${c.id} ${what} (v${c.version})`,
    version: c.version,
    container: c.id,
  };
}

export function changeEvents(
  previous: Snapshot | null,
  next: Snapshot,
  observation: Observation,
): AppEvent[] {
  const at = next.at;
  const appId = next.appId;
  const events: AppEvent[] = [];
  const live = observation.history[0];
  if (previous === null) {
    if (live !== undefined)
      events.push({ at, appId, level: 'info', kind: 'containers-split', message: splitNote(live) });
    if (next.inputs.queued === null && next.status === 'deployed') {
      events.push({
        at,
        appId,
        level: 'warn',
        kind: 'inputs-not-reported',
        message: `inputs ${next.inputsNote}`,
      });
    }
    return events;
  }
  const known = new Set(previous.history.map((v) => v.version));
  for (const v of [...next.history].reverse()) {
    if (known.has(v.version)) continue;
    const how =
      v.kind === 'deploy'
        ? 'deployed'
        : v.kind === 'rollback'
          ? `rolled back to v${v.rollbackOf ?? '?'}`
          : 'rolled over';
    const strategy = v.strategy === 'not reported' ? '' : ` (${v.strategy})`;
    events.push({
      at,
      appId,
      level: 'info',
      kind: 'version-created',
      message: `v${v.version} ${how}${strategy} by ${v.user}`,
      version: v.version,
    });
    if (live !== undefined && v.version === live.version) {
      events.push({ at, appId, level: 'info', kind: 'containers-split', message: splitNote(live) });
    }
  }
  const before = new Map(previous.containers.map((c) => [c.id, c]));
  const after = new Map(next.containers.map((c) => [c.id, c]));
  for (const c of next.containers) {
    const was = before.get(c.id);
    if (was === undefined) {
      events.push(
        containerEvent(
          at,
          appId,
          c,
          c.state === 'starting' ? 'container-pending' : 'container-started',
          c.state === 'starting' ? 'pending' : 'started',
        ),
      );
    } else if (was.state === 'starting' && c.state !== 'starting') {
      events.push(containerEvent(at, appId, c, 'container-started', 'started'));
    } else if (was.state !== 'draining' && c.state === 'draining') {
      events.push(containerEvent(at, appId, c, 'container-outdated', 'outdated, draining'));
    }
  }
  for (const c of previous.containers) {
    if (!after.has(c.id)) events.push(containerEvent(at, appId, c, 'container-gone', 'gone'));
  }
  if (previous.inputs.queued !== null && next.inputs.queued === null && next.status === 'deployed') {
    events.push({
      at,
      appId,
      level: 'warn',
      kind: 'inputs-not-reported',
      message: `inputs ${next.inputsNote}`,
    });
  } else if (previous.inputs.queued === null && next.inputs.queued !== null) {
    events.push({
      at,
      appId,
      level: 'info',
      kind: 'inputs-reported',
      message: `inputs reported again: ${next.inputsNote}`,
    });
  }
  if (previous.status === 'deployed' && next.status === 'stopped') {
    events.push({
      at,
      appId,
      level: 'warn',
      kind: 'app-stopped',
      message: `${next.app} was stopped; a stopped Modal app cannot be started again`,
    });
  }
  return events;
}
