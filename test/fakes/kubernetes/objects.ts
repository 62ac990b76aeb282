// Object shapes and the API server's defaulting, seeded from real payloads: k9s
// internal/render/testdata/dp.json (a Deployment), rs.json (its ReplicaSet) and
// po_extra_status_container_not_ready.json (a Pod), and the defaults of k8s.io/kubernetes
// pkg/apis/apps/v1/defaults.go and pkg/apis/core/v1/defaults.go.
import { canonicalJson, isObject } from './json.ts';
import type { Condition, Container, Deployment, PodTemplate } from './types.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
export const HASH_LABEL = 'pod-template-hash';

/** RFC 3339 at second precision, as metav1.Time marshals. */
export function timestamp(at: number = Date.now()): string {
  return new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Container defaults (SetDefaults_Container): `:latest` or no tag pulls Always. */
function defaultContainer(container: Container): Container {
  const tag = /:([^/:@]+)$/.exec(container.image)?.[1];
  const out: Container = { ...container };
  out.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  out.resources ??= {};
  out.terminationMessagePath ??= '/dev/termination-log';
  out.terminationMessagePolicy ??= 'File';
  if (Array.isArray(out.ports))
    out.ports = out.ports.map((p) => (isObject(p) ? { protocol: 'TCP', ...p } : p)) as unknown[];
  return out;
}

/** Pod template defaults (SetDefaults_PodSpec), so what clients read back is what a cluster returns. */
export function defaultTemplate(template: PodTemplate): PodTemplate {
  const spec = { ...template.spec };
  spec.containers = (spec.containers ?? []).map(defaultContainer);
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  return { metadata: { creationTimestamp: null, ...template.metadata }, spec };
}

/** Deployment defaults (SetDefaults_Deployment in apps/v1). */
export function defaultDeployment(d: Deployment): Deployment {
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= { type: 'RollingUpdate' };
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template = defaultTemplate(spec.template);
  d.status ??= {};
  return d;
}

/** A template without its pod-template-hash label, as EqualIgnoreHash compares them. */
function withoutHash(template: PodTemplate): PodTemplate {
  const labels = { ...(template.metadata.labels ?? {}) };
  delete labels[HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/** deployment_util.go EqualIgnoreHash, with apimachinery's nil-equals-empty semantics. */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

/**
 * The pod-template-hash. The real one (controller.ComputeHash) is FNV-32a over a spew dump of
 * the Go struct plus the collision count, encoded with rand.SafeEncodeString. This one is
 * FNV-32a over the template's canonical JSON (sorted keys, empty fields dropped), encoded the
 * same way: stable for equal templates, different values from a real cluster's.
 */
export function templateHash(template: PodTemplate): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(canonicalJson(withoutHash(template)))) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(hash)].map((ch) => alphanums[ch.charCodeAt(0) % alphanums.length]).join('');
}

/** pkg/util/rand String(): the alphabet of generated pod name suffixes. */
export function randomSuffix(length = 5): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphanums[Math.floor(Math.random() * alphanums.length)];
  return out;
}

export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** deployment_util.go SetDeploymentCondition: same status and reason is no change. */
export function setCondition(conditions: Condition[], condition: Condition): Condition[] {
  const current = getCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason)
    return conditions;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

export function deploymentCondition(
  type: string,
  status: Condition['status'],
  reason: string,
  message: string,
): Condition {
  const now = timestamp();
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function revisionOf(object: { metadata: { annotations?: Record<string, string> } }): number {
  const raw = object.metadata.annotations?.[REVISION];
  const n = raw === undefined ? 0 : Number.parseInt(raw, 10);
  return Number.isNaN(n) ? 0 : n;
}
