// Modal's history table says a version exists, not why: its API's deployment_type and
// rollback_version are not printed by `modal app history --json`. cutover knows for the versions
// it made itself (store.ts records each command when it starts and the version it created when
// it ends); every other version is a deploy.
import type { VersionKind } from '../../engine/types.ts';
import type { ModalVersion } from './parse-history.ts';
import type { CommandState } from './store.ts';

/** How a version came about, as far as cutover knows. */
export interface VersionOrigin {
  kind: VersionKind;
  /** `rolling`/`recreate` when cutover chose it; null when Modal does not say. */
  strategy: string | null;
  rollbackOf: number | null;
  /** The operating-system user who ran cutover's command, when cutover made it. */
  user: string | null;
  /** The command, while it is still running (a recreate waits for old containers to stop). */
  running: boolean;
}

/** A command still running is matched to the first version deployed after it started. */
const clockSlackMs = 2_000;

/** A command whose cutover process died before it ended is not "running" forever. */
export const staleCommandMs = 30 * 60_000;

export function versionOrigins(
  history: ModalVersion[],
  commands: CommandState[],
  now: number,
): Map<number, VersionOrigin> {
  const origins = new Map<number, VersionOrigin>();
  const oldestFirst = [...history].sort((a, b) => a.version - b.version);
  for (const c of commands) {
    if (c.kind === 'stop') continue;
    let version: number | null = null;
    if (c.finished !== null) version = c.finished.version;
    else {
      const after = oldestFirst.find(
        (v) => !origins.has(v.version) && v.deployedAt !== null && v.deployedAt >= c.startedAt - clockSlackMs,
      );
      version = after?.version ?? null;
    }
    if (version === null) continue;
    origins.set(version, {
      kind: c.kind,
      strategy: c.strategy,
      rollbackOf: c.rollbackOf,
      user: c.user,
      running: c.finished === null && now - c.startedAt < staleCommandMs,
    });
  }
  return origins;
}

/** A deploy cutover started whose version does not exist yet (D4: Modal is still building). */
export function buildingDeploy(
  history: ModalVersion[],
  commands: CommandState[],
  now: number,
): CommandState | null {
  return (
    commands.find(
      (c) =>
        c.kind === 'deploy' &&
        c.finished === null &&
        now - c.startedAt < staleCommandMs &&
        !history.some((v) => v.deployedAt !== null && v.deployedAt >= c.startedAt - clockSlackMs),
    ) ?? null
  );
}
