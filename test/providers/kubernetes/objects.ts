// Kubernetes objects for the mapping tests: recorded payloads (k9s's test data) and variants
// derived from them the way the Deployment controller changes them.
import { readFileSync } from 'node:fs';
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';

const load = <T>(file: string): T =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as { object: T }).object;

/** A finished rollout: k9s's dp.json. */
export const deployment = (): V1Deployment => load<V1Deployment>('dp.json');
/** Its one ReplicaSet, revision 1: k9s's rs.json. */
export const replicaSet = (): V1ReplicaSet => load<V1ReplicaSet>('rs.json');

/** Deep-merges plain objects (arrays replaced), as a test's variant of a recorded object. */
export function derive<T>(base: T, change: unknown): T {
  if (change === undefined) return base;
  if (change === null || typeof change !== 'object' || Array.isArray(change)) return change as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(change as Record<string, unknown>)) {
    out[k] = derive((base as Record<string, unknown> | undefined)?.[k], v);
  }
  return out as T;
}

/** The ReplicaSet of another revision of the same Deployment, with its own image. */
export function revision(n: number, image: string, change: unknown = {}): V1ReplicaSet {
  const base = replicaSet();
  const hash = `hash${n}`;
  const containers = base.spec!.template!.spec!.containers.map((c) => ({ ...c, image }));
  return derive(base, {
    metadata: {
      name: `icx-db-${hash}`,
      uid: `rs-uid-${n}`,
      annotations: { 'deployment.kubernetes.io/revision': String(n) },
      labels: { 'pod-template-hash': hash },
      creationTimestamp: `2019-07-14T05:0${n}:00Z`,
    },
    spec: { template: { metadata: { labels: { 'pod-template-hash': hash } }, spec: { containers } } },
    ...(change as object),
  });
}

/** A pod owned by `rs`, ready unless `status` says otherwise. */
export function pod(rs: V1ReplicaSet, name: string, change: unknown = {}): V1Pod {
  const base: V1Pod = {
    metadata: {
      name,
      namespace: 'icx',
      labels: rs.spec?.template?.metadata?.labels ?? {},
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs.metadata!.name!,
          uid: rs.metadata!.uid!,
          controller: true,
        },
      ],
      creationTimestamp: '2019-07-14T05:10:00Z' as unknown as Date,
    },
    spec: {
      containers: [{ name: 'icx-db', image: rs.spec?.template?.spec?.containers[0]?.image ?? '' }],
      nodeName: 'node-1',
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'icx-db',
          ready: true,
          restartCount: 0,
          image: '',
          imageID: '',
          state: { running: { startedAt: '2019-07-14T05:10:02Z' as unknown as Date } },
        },
      ],
    },
  };
  return derive(base, change);
}

/** A pod whose container crash-loops: waiting CrashLoopBackOff after exiting `code`, `restarts` times. */
export function crashLooping(rs: V1ReplicaSet, name: string, restarts: number, code = 3): V1Pod {
  return pod(rs, name, {
    status: {
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        { type: 'ContainersReady', status: 'False' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [
        {
          name: 'icx-db',
          ready: false,
          restartCount: restarts,
          image: '',
          imageID: '',
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
          },
          lastState: { terminated: { exitCode: code, reason: 'Error' } },
        },
      ],
    },
  });
}
