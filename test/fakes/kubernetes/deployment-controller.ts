// The Deployment controller, following k8s.io/kubernetes pkg/controller/deployment:
// deployment_controller.go syncDeployment (paused → sync, scaling event → sync, else the
// strategy), sync.go getNewReplicaSet (one ReplicaSet per template hash, revision = max + 1),
// rolling.go and recreate.go. The new ReplicaSet is new-replicaset.ts; status and scaling are
// deployment-sync.ts.

import { DeploymentSync } from './deployment-sync.ts';
import {
  actualReplicas,
  availableReplicas,
  maxUnavailable,
  newRSNewReplicas,
  specReplicas,
} from './deployment-util.ts';
import { clone } from './json.ts';
import { newReplicaSet } from './new-replicaset.ts';
import {
  DESIRED_REPLICAS,
  deploymentCondition,
  equalIgnoreHash,
  getCondition,
  setCondition,
} from './objects.ts';
import type { Store } from './store.ts';
import type { Deployment, Pod, ReplicaSet } from './types.ts';

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const t = a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp);
  return t !== 0 ? t : a.metadata.name.localeCompare(b.metadata.name);
}

/** Complete, observed and marked NewReplicaSetAvailable: nothing will change by itself. */
function settled(d: Deployment): boolean {
  const s = d.status;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === d.spec.replicas &&
    (s.replicas ?? 0) === d.spec.replicas &&
    (s.availableReplicas ?? 0) === d.spec.replicas &&
    getCondition(s.conditions, 'Progressing')?.reason === 'NewReplicaSetAvailable'
  );
}

export class DeploymentController extends DeploymentSync {
  /** Deployments whose object, ReplicaSets or pods changed since their last sync (by uid). */
  private dirty = new Set<string>();
  /** ReplicaSet uid → its Deployment's uid, to route pod changes. */
  private readonly owners = new Map<string, string>();

  constructor(store: Store) {
    super(store);
    store.onEvent((e) => {
      const controller = e.object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
      if (e.resource === 'deployments') this.dirty.add(e.object.metadata.uid);
      if (e.resource === 'replicasets' && controller) {
        this.owners.set(e.object.metadata.uid, controller);
        this.dirty.add(controller);
      }
      const deployment = controller && e.resource === 'pods' ? this.owners.get(controller) : undefined;
      if (deployment) this.dirty.add(deployment);
    });
  }

  /**
   * Syncs what changed, and every Deployment not yet settled (a rollout in flight has timers:
   * minReadySeconds, the progress deadline), as the real controller's work queue would.
   */
  syncAll(): void {
    const dirty = this.dirty;
    this.dirty = new Set();
    for (const d of this.store.scan<Deployment>('deployments')) {
      if (dirty.has(d.metadata.uid) || !settled(d)) this.syncDeployment(clone(d));
    }
  }

  private syncDeployment(initial: Deployment): void {
    let d = initial;
    const rsList = this.store
      .controlledBy<ReplicaSet>('replicasets', d.metadata.uid)
      .map((rs) => clone(rs))
      .sort(byCreation);
    d = this.checkPausedConditions(d);
    if (d.spec.paused || this.isScalingEvent(d, rsList)) {
      this.sync(d, rsList);
      return;
    }
    if (d.spec.strategy.type === 'Recreate') {
      this.rolloutRecreate(d, rsList);
      return;
    }
    this.rolloutRolling(d, rsList);
  }

  /** sync.go checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
  private checkPausedConditions(d: Deployment): Deployment {
    const cond = getCondition(d.status.conditions, 'Progressing');
    if (cond?.reason === 'ProgressDeadlineExceeded') return d;
    const pausedCond = cond?.reason === 'DeploymentPaused';
    let next: Deployment | null = null;
    if (d.spec.paused && !pausedCond) {
      next = clone(d);
      next.status.conditions = setCondition(
        d.status.conditions ?? [],
        deploymentCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'),
      );
    } else if (!d.spec.paused && pausedCond) {
      next = clone(d);
      next.status.conditions = setCondition(
        d.status.conditions ?? [],
        deploymentCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed'),
      );
    }
    return next ? this.store.update('deployments', next, 'status') : d;
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas differs from spec.replicas. */
  private isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    return [...oldRSs, newRS].some((rs) => {
      if (!rs || rs.spec.replicas === 0) return false;
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return desired !== undefined && Number(desired) !== d.spec.replicas;
    });
  }

  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (made when asked) and the old ones. */
  protected allReplicaSets(
    d: Deployment,
    rsList: ReplicaSet[],
    create: boolean,
  ): { newRS: ReplicaSet | null; oldRSs: ReplicaSet[] } {
    const found = rsList.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template)) ?? null;
    const oldRSs = rsList.filter((rs) => rs !== found);
    return { newRS: newReplicaSet(this.store, d, found, oldRSs, create), oldRSs };
  }

  /** rolling.go rolloutRolling: scale up the new ReplicaSet if we can, else scale old ones down. */
  private rolloutRolling(d: Deployment, rsList: ReplicaSet[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, true);
    if (!newRS) return;
    let all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(all, newRS, d)) {
      this.syncRolloutStatus(this.refresh(all), newRS, d);
      return;
    }
    all = this.refresh(all);
    const fresh = all[all.length - 1]!;
    const active = all.slice(0, -1).filter((rs) => rs.spec.replicas > 0);
    if (this.reconcileOldReplicaSets(all, active, fresh, d)) {
      this.syncRolloutStatus(this.refresh(all), fresh, d);
      return;
    }
    if (this.complete(d)) this.cleanupDeployment(all.slice(0, -1), d);
    this.syncRolloutStatus(this.refresh(all), fresh, d);
  }

  private reconcileNewReplicaSet(all: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
    if (newRS.spec.replicas === d.spec.replicas) return false;
    if (newRS.spec.replicas > d.spec.replicas) return this.scaleReplicaSet(newRS, d.spec.replicas, d);
    return this.scaleReplicaSet(newRS, newRSNewReplicas(d, all, newRS), d);
  }

  private reconcileOldReplicaSets(
    all: ReplicaSet[],
    old: ReplicaSet[],
    newRS: ReplicaSet,
    d: Deployment,
  ): boolean {
    if (specReplicas(old) === 0) return false;
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newUnavailable = newRS.spec.replicas - (newRS.status.availableReplicas ?? 0);
    const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // cleanupUnhealthyReplicas: old pods that are not available go first (k/k#16737).
    let cleaned = 0;
    const sorted = [...old].sort(byCreation);
    for (const rs of sorted) {
      if (cleaned >= maxScaledDown) break;
      const unhealthy = rs.spec.replicas - (rs.status.availableReplicas ?? 0);
      if (rs.spec.replicas === 0 || unhealthy === 0) continue;
      const count = Math.min(maxScaledDown - cleaned, unhealthy);
      this.scaleReplicaSet(rs, rs.spec.replicas - count, d);
      cleaned += count;
    }
    const now = this.refresh([...sorted, newRS]);
    // scaleDownOldReplicaSetsForRollingUpdate: keep at least minAvailable available pods.
    const available = availableReplicas(now);
    let scaled = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of now.slice(0, -1)) {
        if (scaled >= total) break;
        if (rs.spec.replicas === 0) continue;
        const count = Math.min(rs.spec.replicas, total - scaled);
        this.scaleReplicaSet(rs, rs.spec.replicas - count, d);
        scaled += count;
      }
    }
    return cleaned + scaled > 0;
  }

  /** recreate.go rolloutRecreate: old to zero, wait until their pods are gone, then the new one. */
  private rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    let scaledDown = false;
    for (const rs of oldRSs)
      if (rs.spec.replicas !== 0) scaledDown = this.scaleReplicaSet(rs, 0, d) || scaledDown;
    oldRSs = this.refresh(oldRSs);
    if (scaledDown || this.oldPodsRunning(oldRSs)) {
      this.syncRolloutStatus([...oldRSs, newRS], newRS, d);
      return;
    }
    if (!newRS) ({ newRS, oldRSs } = this.allReplicaSets(d, this.refresh(rsList), true));
    if (!newRS) return;
    this.scaleReplicaSet(newRS, d.spec.replicas, d);
    if (this.complete(d)) this.cleanupDeployment(oldRSs, d);
    this.syncRolloutStatus(this.refresh([...oldRSs, newRS]), newRS, d);
  }

  private oldPodsRunning(oldRSs: ReplicaSet[]): boolean {
    if (actualReplicas(oldRSs) > 0) return true;
    return oldRSs.some((rs) =>
      this.store
        .controlledBy<Pod>('pods', rs.metadata.uid)
        .some((pod) => pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed'),
    );
  }

  private complete(d: Deployment): boolean {
    const latest = this.store.get<Deployment>('deployments', d.metadata.namespace, d.metadata.name) ?? d;
    return (
      (latest.status.updatedReplicas ?? 0) === d.spec.replicas &&
      (latest.status.replicas ?? 0) === d.spec.replicas &&
      (latest.status.availableReplicas ?? 0) === d.spec.replicas &&
      (latest.status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
    );
  }
}
