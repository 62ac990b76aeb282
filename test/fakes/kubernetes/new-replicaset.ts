// The new ReplicaSet of a Deployment (k8s.io/kubernetes pkg/controller/deployment/sync.go
// getNewReplicaSet): found by template (EqualIgnoreHash) or created, with its revision and
// annotations as deployment_util.go SetNewReplicaSetAnnotations sets them.
import { newRSNewReplicas, setNewReplicaSetAnnotations } from './deployment-util.ts';
import { clone, deepEqual } from './json.ts';
import {
  deploymentCondition,
  getCondition,
  HASH_LABEL,
  REVISION,
  revisionOf,
  setCondition,
  templateHash,
} from './objects.ts';
import type { Store } from './store.ts';
import type { Deployment, ReplicaSet } from './types.ts';

/** minReadySeconds is omitempty on the wire: 0 is absent. */
function setMinReadySeconds(rs: ReplicaSet, d: Deployment): void {
  if (d.spec.minReadySeconds) rs.spec.minReadySeconds = d.spec.minReadySeconds;
  else delete rs.spec.minReadySeconds;
}

/**
 * sync.go getNewReplicaSet: the ReplicaSet whose template is the Deployment's, its revision
 * raised to max(old) + 1 (and the Deployment's revision annotation with it); made when there is
 * none and `create` is set, named NAME-HASH, with the NewReplicaSetCreated condition.
 */
export function newReplicaSet(
  store: Store,
  d: Deployment,
  existing: ReplicaSet | null,
  oldRSs: ReplicaSet[],
  create: boolean,
): ReplicaSet | null {
  const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
  if (existing) {
    const rs = clone(existing);
    setNewReplicaSetAnnotations(d, rs, newRevision, true);
    setMinReadySeconds(rs, d);
    if (!deepEqual(rs, existing)) return store.update('replicasets', rs);
    const next = clone(d);
    next.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: String(revisionOf(rs)) };
    if (!getCondition(d.status.conditions, 'Progressing')) {
      const msg = `Found new replica set "${rs.metadata.name}"`;
      next.status.conditions = setCondition(
        d.status.conditions ?? [],
        deploymentCondition('Progressing', 'True', 'FoundNewReplicaSet', msg),
      );
    }
    if (!deepEqual(next, d)) store.update('deployments', next, 'status');
    return rs;
  }
  if (!create) return null;
  const hash = templateHash(d.spec.template);
  const template = clone(d.spec.template);
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      uid: '',
      creationTimestamp: '',
      labels: { ...template.metadata.labels },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.metadata.name,
          uid: d.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
      template,
    },
    status: { replicas: 0 },
  };
  setMinReadySeconds(rs, d);
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  const created = store.create('replicasets', rs);
  const next = clone(d);
  next.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: String(newRevision) };
  next.status.conditions = setCondition(
    d.status.conditions ?? [],
    deploymentCondition(
      'Progressing',
      'True',
      'NewReplicaSetCreated',
      `Created new replica set "${rs.metadata.name}"`,
    ),
  );
  store.update('deployments', next, 'status');
  return created;
}
