// The arithmetic of k8s.io/kubernetes pkg/controller/deployment/util/deployment_util.go:
// fenceposts, how far the new ReplicaSet may grow, completeness and progress checks, and the
// annotations a new ReplicaSet carries.
import {
  DESIRED_REPLICAS,
  getCondition,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
  revisionOf,
} from './objects.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.ts';

/** intstr.GetScaledValueFromIntOrPercent: "25%" of total, rounded up or down. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (!percent) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero makes unavailable 1. */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const rolling = d.spec.strategy.rollingUpdate ?? {};
  const surge = scaledValue(rolling.maxSurge ?? 0, d.spec.replicas, true);
  let unavailable = scaledValue(rolling.maxUnavailable ?? 0, d.spec.replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const isRolling = (d: Deployment): boolean => d.spec.strategy.type === 'RollingUpdate';

export function maxSurge(d: Deployment): number {
  return isRolling(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRolling(d) || d.spec.replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, d.spec.replicas);
}

export const specReplicas = (sets: (ReplicaSet | null)[]): number =>
  sets.reduce((n, rs) => n + (rs?.spec.replicas ?? 0), 0);
export const actualReplicas = (sets: (ReplicaSet | null)[]): number =>
  sets.reduce((n, rs) => n + (rs?.status.replicas ?? 0), 0);
export const readyReplicas = (sets: (ReplicaSet | null)[]): number =>
  sets.reduce((n, rs) => n + (rs?.status.readyReplicas ?? 0), 0);
export const availableReplicas = (sets: (ReplicaSet | null)[]): number =>
  sets.reduce((n, rs) => n + (rs?.status.availableReplicas ?? 0), 0);

/** NewRSNewReplicas: the new ReplicaSet grows up to replicas + maxSurge pods in total. */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  if (d.spec.strategy.type === 'Recreate') return d.spec.replicas;
  const maxTotal =
    d.spec.replicas + scaledValue(d.spec.strategy.rollingUpdate?.maxSurge, d.spec.replicas, true);
  const current = specReplicas(all);
  if (current >= maxTotal) return newRS.spec.replicas;
  const up = Math.min(maxTotal - current, d.spec.replicas - newRS.spec.replicas);
  return newRS.spec.replicas + up;
}

export function isSaturated(d: Deployment, rs: ReplicaSet | null): boolean {
  if (!rs) return false;
  const desired = Number(rs.metadata.annotations?.[DESIRED_REPLICAS]);
  return (
    rs.spec.replicas === d.spec.replicas &&
    desired === d.spec.replicas &&
    (rs.status.availableReplicas ?? 0) === d.spec.replicas
  );
}

/** DeploymentComplete: every desired replica updated and available, no old pods left. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  return (
    status.updatedReplicas === d.spec.replicas &&
    status.replicas === d.spec.replicas &&
    status.availableReplicas === d.spec.replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: new pods up or ready or available, or old ones gone, since last status. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status;
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition's lastUpdateTime is older than the deadline. */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, now: number): boolean {
  const condition = getCondition(next.conditions, 'Progressing');
  if (!condition) return false;
  if (condition.reason === 'NewReplicaSetAvailable') return false;
  if (condition.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + d.spec.progressDeadlineSeconds * 1000 < now;
}

/** annotationsToSkip: never copied between a Deployment and its ReplicaSets. */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** The limit on revision-history's length (the controller's maxRevHistoryLengthInChars). */
const MAX_REVISION_HISTORY_CHARS = 2000;

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations (change-cause among them),
 * raise the revision to newRevision, and when an existing revision is raised (a template came
 * back) append the old number to revision-history.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
): void {
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  }
  const hadRevision = REVISION in annotations;
  const old = revisionOf({ metadata: { annotations } });
  if (old < newRevision) {
    annotations[REVISION] = String(newRevision);
    if (hadRevision) {
      const history = annotations[REVISION_HISTORY] ? annotations[REVISION_HISTORY].split(',') : [];
      history.push(String(old));
      while (history.join(',').length > MAX_REVISION_HISTORY_CHARS) history.shift();
      annotations[REVISION_HISTORY] = history.join(',');
    }
  }
  if (!exists) {
    annotations[DESIRED_REPLICAS] = String(d.spec.replicas);
    annotations[MAX_REPLICAS] = String(d.spec.replicas + maxSurge(d));
  }
  rs.metadata.annotations = annotations;
}

export function setReplicasAnnotations(d: Deployment, rs: ReplicaSet): void {
  rs.metadata.annotations = {
    ...(rs.metadata.annotations ?? {}),
    [DESIRED_REPLICAS]: String(d.spec.replicas),
    [MAX_REPLICAS]: String(d.spec.replicas + maxSurge(d)),
  };
}

/** getReplicaSetFraction / GetProportion, for scaling a Deployment mid-rollout. */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (d.spec.replicas === 0) fraction = -rs.spec.replicas;
  else {
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status.replicas ?? 0);
    const size = (rs.spec.replicas * (d.spec.replicas + maxSurge(d))) / (annotated || 1);
    fraction = Math.round(size) - rs.spec.replicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
