// A Deployment's versions are its ReplicaSets' revisions (kubectl rollout history). The kind is
// read from the objects: `rollback` when the RS's revision-history says it came back (kubectl
// undo renumbers it max+1), `rollover` when only kubectl's restartedAt differs from the revision
// before it, else `deploy`.
import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { VersionSummary } from '../../engine/snapshot.ts';
import type { Outcome, VersionKind } from '../../engine/types.ts';
import { annotations, imagesOf, millis, revisionOf, templateKey } from './objects.ts';

export interface Revision {
  number: number;
  rs: V1ReplicaSet;
  kind: VersionKind;
  rollbackOf: number | null;
}

/** The controlled ReplicaSets as revisions, newest first (revision 0, unset, left out). */
export function revisionsOf(replicaSets: V1ReplicaSet[]): Revision[] {
  const sorted = replicaSets.filter((rs) => revisionOf(rs) > 0).sort((a, b) => revisionOf(b) - revisionOf(a));
  return sorted.map((rs, i) => {
    const history = (rs.metadata?.annotations?.[annotations.revisionHistory] ?? '')
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const previous = sorted[i + 1];
    let kind: VersionKind = 'deploy';
    let rollbackOf: number | null = null;
    if (history.length > 0) {
      kind = 'rollback';
      rollbackOf = history[history.length - 1] ?? null;
    } else if (
      previous &&
      templateKey(rs.spec?.template, [annotations.restartedAt]) ===
        templateKey(previous.spec?.template, [annotations.restartedAt])
    ) {
      kind = 'rollover';
    }
    return { number: revisionOf(rs), rs, kind, rollbackOf };
  });
}

/** The history as the screen shows it; `outcomeOf` decides the newest's. */
export function versionSummaries(
  revisions: Revision[],
  deployment: V1Deployment,
  newestOutcome: Outcome,
): VersionSummary[] {
  const strategy = deployment.spec?.strategy?.type === 'Recreate' ? 'recreate' : 'rolling';
  return revisions.map((r, i) => ({
    version: r.number,
    kind: r.kind,
    strategy,
    user: '-',
    createdAt: millis(r.rs.metadata?.creationTimestamp) ?? 0,
    outcome: i === 0 ? newestOutcome : 'superseded',
    rollbackOf: r.rollbackOf,
    image: imagesOf(r.rs.spec?.template),
    specHash: r.rs.metadata?.labels?.['pod-template-hash'] ?? '',
    description: r.rs.metadata?.annotations?.[annotations.changeCause] ?? null,
  }));
}

/** kubectl undo's default: the second-highest revision (the highest is the current one). */
export function defaultRollbackTarget(revisions: Revision[]): number | null {
  return revisions[1]?.number ?? null;
}
