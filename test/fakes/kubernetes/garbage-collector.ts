// The garbage collector's background cascade (k8s.io/kubernetes pkg/controller/garbagecollector):
// when a Deployment goes, its ReplicaSets are deleted; when a ReplicaSet goes, its pods are
// deleted gracefully (Terminating, then gone). Dependents are found by their controller
// ownerReference, as the collector's graph does.
import { markDeleted } from './replicaset-controller.ts';
import type { Store } from './store.ts';
import type { Pod, ReplicaSet } from './types.ts';

export class GarbageCollector {
  /** uids of deleted owners whose dependents are still to delete. */
  private readonly orphaned = new Map<string, 'replicasets' | 'pods'>();

  constructor(private readonly store: Store) {
    store.onEvent((e) => {
      if (e.type !== 'DELETED') return;
      if (e.resource === 'deployments') this.orphaned.set(e.object.metadata.uid, 'replicasets');
      if (e.resource === 'replicasets') this.orphaned.set(e.object.metadata.uid, 'pods');
    });
  }

  collect(now: number): void {
    for (const [uid, resource] of [...this.orphaned]) {
      this.orphaned.delete(uid);
      if (resource === 'replicasets') {
        for (const rs of this.store.controlledBy<ReplicaSet>('replicasets', uid))
          this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
      } else {
        for (const pod of this.store.controlledBy<Pod>('pods', uid))
          if (!pod.metadata.deletionTimestamp) markDeleted(this.store, pod, now);
      }
    }
  }
}
