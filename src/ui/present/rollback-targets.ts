// B1: which versions a rollback can go to, and which one the dialog pre-selects.
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';

/** The version everything is measured from: the one rolling out, else the active one. */
export function headVersion(snapshot: Snapshot): number | null {
  return snapshot.rollout?.to ?? snapshot.version ?? snapshot.history[0]?.version ?? null;
}

/**
 * Versions a rollback may target, newest first: every version older than the head. Failed ones
 * and ones that never went active are listed too; the dialog marks them (and asks twice for a
 * failed one).
 */
export function rollbackTargets(snapshot: Snapshot): VersionSummary[] {
  const head = headVersion(snapshot);
  if (head === null) return [];
  return snapshot.history.filter((v) => v.version < head);
}

/** Whether a version is known never to have gone active (null: it never did). */
export function neverActive(v: VersionSummary): boolean {
  return v.activatedAt === null && v.outcome !== 'active';
}

/**
 * Where the dialog's cursor starts: the engine's own default (`rollbackTarget`, what a rollback
 * with no number does), else the newest target that neither failed nor never went active.
 */
export function defaultTargetIndex(snapshot: Snapshot, targets: VersionSummary[]): number {
  const engine = snapshot.rollbackTarget;
  if (engine !== undefined && engine !== null) {
    const at = targets.findIndex((v) => v.version === engine);
    if (at >= 0) return at;
  }
  const safe = targets.findIndex((v) => v.outcome !== 'failed' && !neverActive(v));
  return Math.max(0, safe);
}
