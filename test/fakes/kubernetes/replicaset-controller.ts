// The ReplicaSet controller (k8s.io/kubernetes pkg/controller/replicaset/replica_set.go and
// replica_set_utils.go): create or delete pods until the active ones match spec.replicas, and
// count them into status. A deleted pod gets a deletionTimestamp (graceful deletion by the API
// server) and stays, Terminating, until the kubelet lets it go.
import { clone, deepEqual } from './json.ts';
import { getCondition, randomSuffix, timestamp } from './objects.ts';
import type { Store } from './store.ts';
import type { Pod, ReplicaSet } from './types.ts';

/** controller.FilterActivePods: not terminating, not finished. */
export function isActive(pod: Pod): boolean {
  return !pod.metadata.deletionTimestamp && pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed';
}

export function isReady(pod: Pod): boolean {
  return getCondition(pod.status.conditions, 'Ready')?.status === 'True';
}

/** podutil.IsPodAvailable: Ready for at least minReadySeconds. */
export function isAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const ready = getCondition(pod.status.conditions, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds === 0) return true;
  return Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 <= now;
}

export const ownedBy = (pod: Pod, uid: string): boolean =>
  (pod.metadata.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === uid);

/**
 * getPodsToDelete's ranking (controller.ActivePods): unscheduled, then pending, then not
 * ready, then more restarts, then the newest go first.
 */
function deletionRank(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  const running = (p: Pod) => (p.status.phase === 'Running' ? 1 : 0);
  const ready = (p: Pod) => (isReady(p) ? 1 : 0);
  const restarts = (p: Pod) => Math.max(0, ...(p.status.containerStatuses ?? []).map((c) => c.restartCount));
  return (
    scheduled(a) - scheduled(b) ||
    running(a) - running(b) ||
    ready(a) - ready(b) ||
    restarts(b) - restarts(a) ||
    b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp)
  );
}

export class ReplicaSetController {
  constructor(
    private readonly store: Store,
    private readonly nodeName: string,
    private readonly schedulable: (images: string[]) => boolean,
  ) {
    this.watchStore();
  }

  /** ReplicaSets whose object or pods changed since their last sync (by uid). */
  private dirty = new Set<string>();

  /** Syncs what changed, and those with pods still waiting out minReadySeconds. */
  syncAll(now: number): void {
    const dirty = this.dirty;
    this.dirty = new Set();
    for (const rs of this.store.scan<ReplicaSet>('replicasets')) {
      const waiting = (rs.status.readyReplicas ?? 0) > (rs.status.availableReplicas ?? 0);
      if (dirty.has(rs.metadata.uid) || waiting) this.syncReplicaSet(rs, now);
    }
  }

  private watchStore(): void {
    this.store.onEvent((e) => {
      if (e.resource === 'replicasets') this.dirty.add(e.object.metadata.uid);
      const controller = e.object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;
      if (e.resource === 'pods' && controller) this.dirty.add(controller);
    });
  }

  private syncReplicaSet(rs: ReplicaSet, now: number): void {
    const pods = this.store.controlledBy<Pod>('pods', rs.metadata.uid);
    let active = pods.filter(isActive);
    const diff = active.length - rs.spec.replicas;
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) active.push(this.createPod(rs));
    } else if (diff > 0) {
      const doomed = [...active].sort(deletionRank).slice(0, diff);
      for (const pod of doomed) markDeleted(this.store, pod, now);
      active = active.filter((p) => !doomed.includes(p));
    }
    const minReady = rs.spec.minReadySeconds ?? 0;
    const status: ReplicaSet['status'] = { replicas: active.length };
    const counts = {
      fullyLabeledReplicas: active.length,
      readyReplicas: active.filter(isReady).length,
      availableReplicas: active.filter((p) => isAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    // omitempty: zero counts are absent on the wire (replicas is always there).
    for (const [k, v] of Object.entries(counts)) if (v !== 0) status[k as keyof typeof counts] = v;
    if (!deepEqual(status, rs.status)) this.store.update('replicasets', { ...clone(rs), status }, 'status');
  }

  private createPod(rs: ReplicaSet): Pod {
    const template = clone(rs.spec.template);
    const metadata = {
      name: `${rs.metadata.name}-${randomSuffix()}`,
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      uid: '',
      creationTimestamp: '',
      labels: template.metadata.labels ?? {},
      ...(template.metadata.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata,
      // Admission and the scheduler fill these on a real cluster (k9s po_*.json shows them).
      spec: {
        ...template.spec,
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        serviceAccount: 'default',
        serviceAccountName: 'default',
      },
      status: {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() },
        ],
        qosClass: 'BestEffort',
      },
    };
    if (this.schedulable(template.spec.containers.map((c) => c.image))) pod.spec.nodeName = this.nodeName;
    return this.store.create('pods', pod);
  }
}

/** Graceful deletion as the API server does it: deletionTimestamp = now + grace period. */
export function markDeleted(store: Store, pod: Pod, now: number): void {
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
  const next = clone(pod);
  next.metadata.deletionTimestamp = timestamp(now + grace * 1000);
  next.metadata.deletionGracePeriodSeconds = grace;
  store.update('pods', next);
}
