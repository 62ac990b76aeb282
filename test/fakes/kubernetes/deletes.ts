// DELETE through the API: a Deployment goes at once and the garbage collector removes what it
// owned (background propagation, kubectl's default); a pod is deleted gracefully and answered
// with itself, Terminating (apiserver pkg/registry/rest/delete.go).
import type { JsonObject } from './json.ts';
import { markDeleted } from './replicaset-controller.ts';
import { notFound } from './status.ts';
import type { Store } from './store.ts';
import type { Pod } from './types.ts';

export class Deletes {
  constructor(
    private readonly store: Store,
    private readonly changed: () => void,
  ) {}

  deployment(namespace: string, name: string): JsonObject {
    const gone = this.store.delete('deployments', namespace, name);
    if (!gone) throw notFound('deployments', 'apps', name);
    this.changed();
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: 'apps', kind: 'deployments', uid: gone.metadata.uid },
    };
  }

  pod(namespace: string, name: string): Pod {
    const pod = this.store.get<Pod>('pods', namespace, name);
    if (!pod) throw notFound('pods', '', name);
    if (!pod.metadata.deletionTimestamp) markDeleted(this.store, pod, Date.now());
    this.changed();
    return this.store.get<Pod>('pods', namespace, name) ?? pod;
  }
}
