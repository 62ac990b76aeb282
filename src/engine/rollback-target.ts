// B1: where a rollback with no version number goes. The engine acts on it and the Snapshot
// carries it, so the screen pre-selects exactly what the engine would do.
import type { AppState } from './world.ts';

/**
 * The previous version: the newest one, older than the newest version, that was ever active.
 * Undoing a rolling deploy targets the version it replaces; undoing a rollback undoes it.
 */
export function previousVersion(app: AppState): number | null {
  for (let n = app.versions.length - 1; n >= 1; n--) {
    if (app.versions[n - 1]!.activatedAt !== null) return n;
  }
  return null;
}

/**
 * The default target: while a rollback rolls out, its own target (C1: pressing rollback again
 * is the same press, never a roll forward to the version it leaves); otherwise the previous one.
 */
export function defaultRollbackTarget(app: AppState): number | null {
  const rollingBack = app.rollout ? app.versions[app.rollout.to - 1] : undefined;
  return (rollingBack?.kind === 'rollback' ? rollingBack.rollbackOf : null) ?? previousVersion(app);
}
