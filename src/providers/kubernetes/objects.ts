// Reading the API's objects. Lists come back from the client as typed models (timestamps as Date),
// watch events as raw JSON (timestamps as strings): these read either.
import type { V1Deployment, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';

export const annotations = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  changeCause: 'kubernetes.io/change-cause',
  restartedAt: 'kubectl.kubernetes.io/restartedAt',
  /** cutover's own: the replica count before `cutover stop` scaled the Deployment to 0. */
  replicasBeforeStop: 'cutover.dev/replicas-before-stop',
} as const;

export const podTemplateHash = 'pod-template-hash';

/** Milliseconds since the epoch of a Date or an RFC 3339 string; null when absent. */
export function millis(value: Date | string | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function revisionOf(rs: V1ReplicaSet | V1Deployment): number {
  const n = Number(rs.metadata?.annotations?.[annotations.revision] ?? '0');
  return Number.isInteger(n) ? n : 0;
}

/** `app=shop,tier=web` from the Deployment's matchLabels (matchExpressions are not followed). */
export function labelSelector(deployment: V1Deployment): string {
  const labels = deployment.spec?.selector?.matchLabels ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The ReplicaSets this Deployment controls (kubectl: metav1.IsControlledBy). */
export function controlledBy<
  T extends { metadata?: { ownerReferences?: { uid: string; controller?: boolean }[] } },
>(items: Iterable<T>, uid: string | undefined): T[] {
  return [...items].filter((o) => o.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid));
}

/** A template as JSON with the pod-template-hash label dropped (kubectl's EqualIgnoreHash). */
export function templateKey(template: V1PodTemplateSpec | undefined, dropAnnotations: string[] = []): string {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as V1PodTemplateSpec;
  if (copy.metadata?.labels) delete copy.metadata.labels[podTemplateHash];
  for (const key of dropAnnotations) if (copy.metadata?.annotations) delete copy.metadata.annotations[key];
  if (copy.metadata?.annotations && Object.keys(copy.metadata.annotations).length === 0)
    delete copy.metadata.annotations;
  if (copy.metadata?.labels && Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  return stableJson(copy);
}

/** JSON with sorted keys, so two equal objects give one string whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The images of a template, `web=shop:2` for each container, or just `shop:2` for one. */
export function imagesOf(template: V1PodTemplateSpec | undefined): string {
  const containers = template?.spec?.containers ?? [];
  if (containers.length === 1) return containers[0]?.image ?? '';
  return containers.map((c) => `${c.name}=${c.image ?? ''}`).join(' ');
}
