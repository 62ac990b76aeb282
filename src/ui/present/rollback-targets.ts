// B1: which versions a rollback can go to, and which one the dialog pre-selects.
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';

/** The version everything is measured from: the one rolling out, else the active one. */
export function headVersion(snapshot: Snapshot): number | null {
  return snapshot.rollout?.to ?? snapshot.version ?? snapshot.history[0]?.version ?? null;
}

/**
 * Versions a rollback may target, newest first: every version older than the head whose
 * rollout did not fail. The first one is "the previous version" the dialog pre-selects.
 */
export function rollbackTargets(snapshot: Snapshot): VersionSummary[] {
  const head = headVersion(snapshot);
  if (head === null) return [];
  return snapshot.history.filter((v) => v.version < head && v.outcome !== 'failed');
}
