// The Deployment controller's scaling and status half (k8s.io/kubernetes
// pkg/controller/deployment/sync.go: scale, scaleReplicaSet, cleanupDeployment,
// calculateStatus, syncDeploymentStatus; progress.go: syncRolloutStatus).
import {
  actualReplicas,
  availableReplicas,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  isSaturated,
  maxSurge,
  maxUnavailable,
  proportion,
  readyReplicas,
  setReplicasAnnotations,
  specReplicas,
} from './deployment-util.ts';
import { clone, deepEqual } from './json.ts';
import { deploymentCondition, getCondition, removeCondition, revisionOf, setCondition } from './objects.ts';
import type { Store } from './store.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.ts';

const byCreationThenName = (a: ReplicaSet, b: ReplicaSet): number =>
  a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) ||
  a.metadata.name.localeCompare(b.metadata.name);

export abstract class DeploymentSync {
  constructor(protected readonly store: Store) {}

  protected abstract allReplicaSets(
    d: Deployment,
    rsList: ReplicaSet[],
    create: boolean,
  ): { newRS: ReplicaSet | null; oldRSs: ReplicaSet[] };

  /** The stored copies of these ReplicaSets (a scale writes a new one). */
  protected refresh(sets: (ReplicaSet | null)[]): ReplicaSet[] {
    return sets.flatMap((rs) => {
      const fresh = rs && this.store.get<ReplicaSet>('replicasets', rs.metadata.namespace, rs.metadata.name);
      return fresh ? [fresh] : [];
    });
  }

  /** scaleReplicaSet: new size plus desired/max-replicas annotations; true when the size moved. */
  protected scaleReplicaSet(rs: ReplicaSet, size: number, d: Deployment): boolean {
    const next = clone(rs);
    next.spec.replicas = size;
    setReplicasAnnotations(d, next);
    if (deepEqual(next, rs)) return false;
    this.store.update('replicasets', next);
    return rs.spec.replicas !== size;
  }

  /** sync.go sync: for a paused Deployment or a scaling event. */
  protected sync(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    this.scale(d, newRS, oldRSs);
    const old = this.refresh(oldRSs);
    if (d.spec.paused) this.cleanupDeployment(old, d);
    const all = this.refresh([...old, newRS]);
    const fresh = newRS ? (this.refresh([newRS])[0] ?? null) : null;
    this.syncDeploymentStatus(all, fresh, d);
  }

  /** sync.go scale: one active ReplicaSet takes all; otherwise proportional scaling. */
  private scale(d: Deployment, newRS: ReplicaSet | null, oldRSs: ReplicaSet[]): void {
    const active = [...oldRSs, newRS].filter((rs): rs is ReplicaSet => !!rs && rs.spec.replicas > 0);
    if (active.length <= 1) {
      // FindActiveOrLatest: the only active one, or the newest when none is active.
      const newest = [...oldRSs].sort(byCreationThenName).reverse()[0];
      const target = active[0] ?? newRS ?? newest;
      if (target && target.spec.replicas !== d.spec.replicas)
        this.scaleReplicaSet(target, d.spec.replicas, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const rs of oldRSs) if (rs.spec.replicas > 0) this.scaleReplicaSet(rs, 0, d);
      return;
    }
    if (d.spec.strategy.type !== 'RollingUpdate') return;
    const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0;
    const toAdd = allowed - specReplicas(active);
    // ReplicaSetsBySizeNewer when growing, BySizeOlder when shrinking.
    const sorted = [...active].sort(
      (a, b) => b.spec.replicas - a.spec.replicas || (toAdd > 0 ? -1 : 1) * byCreationThenName(a, b),
    );
    let added = 0;
    const sizes = sorted.map((rs) => {
      if (toAdd === 0) return rs.spec.replicas;
      const p = proportion(rs, d, toAdd, added);
      added += p;
      return rs.spec.replicas + p;
    });
    sorted.forEach((rs, i) => {
      let size = sizes[i]!;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      this.scaleReplicaSet(rs, size, d);
    });
  }

  /** sync.go cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
  protected cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): void {
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - d.spec.revisionHistoryLimit;
    if (diff <= 0) return;
    const byRevision = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreationThenName(a, b));
    for (const rs of byRevision.slice(0, diff)) {
      const idle =
        rs.status.replicas === 0 &&
        rs.spec.replicas === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status.observedGeneration ?? 0);
      if (idle) this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
    }
  }

  /** sync.go calculateStatus, with the Available condition. */
  private calculateStatus(all: ReplicaSet[], newRS: ReplicaSet | null, d: Deployment): DeploymentStatus {
    const available = availableReplicas(all);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: actualReplicas(all),
      updatedReplicas: actualReplicas([newRS]),
      readyReplicas: readyReplicas(all),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, specReplicas(all) - available),
    };
    let conditions = [...(d.status.conditions ?? [])];
    conditions =
      available >= d.spec.replicas - maxUnavailable(d)
        ? setCondition(
            conditions,
            deploymentCondition(
              'Available',
              'True',
              'MinimumReplicasAvailable',
              'Deployment has minimum availability.',
            ),
          )
        : setCondition(
            conditions,
            deploymentCondition(
              'Available',
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
            ),
          );
    status.conditions = conditions;
    return status;
  }

  /** Zero counts are omitted, as Go's omitempty does on the wire. */
  private write(d: Deployment, status: DeploymentStatus): void {
    const next = clone(d);
    const wire: DeploymentStatus = {};
    for (const [k, v] of Object.entries(status)) if (v !== 0 && v !== undefined) wire[k] = v;
    next.status = wire;
    const current = this.store.get<Deployment>('deployments', d.metadata.namespace, d.metadata.name);
    if (
      current &&
      deepEqual(current.status, wire) &&
      deepEqual(current.metadata.annotations, next.metadata.annotations)
    )
      return;
    this.store.update('deployments', next, 'status');
  }

  private current(d: Deployment): Deployment {
    return this.store.get<Deployment>('deployments', d.metadata.namespace, d.metadata.name) ?? d;
  }

  protected syncDeploymentStatus(all: ReplicaSet[], newRS: ReplicaSet | null, d: Deployment): void {
    const latest = this.current(d);
    this.write(latest, this.calculateStatus(all, newRS, latest));
  }

  /** progress.go syncRolloutStatus: Progressing True/False with the controller's reasons. */
  protected syncRolloutStatus(all: (ReplicaSet | null)[], newRS: ReplicaSet | null, d: Deployment): void {
    const latest = this.current(d);
    const sets = all.filter((rs): rs is ReplicaSet => !!rs);
    const fresh = newRS ? (this.refresh([newRS])[0] ?? newRS) : null;
    const status = this.calculateStatus(sets, fresh, latest);
    const cond = getCondition(latest.status.conditions, 'Progressing');
    const completeAlready =
      status.replicas === status.updatedReplicas && cond?.reason === 'NewReplicaSetAvailable';
    let conditions = status.conditions ?? [];
    const name = fresh ? `ReplicaSet "${fresh.metadata.name}"` : `Deployment "${latest.metadata.name}"`;
    if (!completeAlready) {
      if (deploymentComplete(latest, status)) {
        conditions = setCondition(
          conditions,
          deploymentCondition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `${name} has successfully progressed.`,
          ),
        );
      } else if (deploymentProgressing(latest, status)) {
        const next = deploymentCondition(
          'Progressing',
          'True',
          'ReplicaSetUpdated',
          `${name} is progressing.`,
        );
        // The one condition whose lastUpdateTime moves with the same reason: it marks progress.
        if (cond?.status === 'True') next.lastTransitionTime = cond.lastTransitionTime;
        conditions = [...removeCondition(conditions, 'Progressing'), next];
      } else if (deploymentTimedOut(latest, { ...status, conditions }, Date.now())) {
        conditions = setCondition(
          conditions,
          deploymentCondition(
            'Progressing',
            'False',
            'ProgressDeadlineExceeded',
            `${name} has timed out progressing.`,
          ),
        );
      }
    }
    status.conditions = conditions;
    this.write(latest, status);
  }
}
