// One Deployment, its ReplicaSets and pods → the engine's Snapshot. Pure: the watch calls it on
// every change, `snapshot()` on one read of each.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutSummary, Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent, MetricSample, Outcome } from '../../engine/types.ts';
import { annotations, controlledBy, millis, revisionOf } from './objects.ts';
import { containerSummary, podRestarts, podState } from './pods.ts';
import { defaultRollbackTarget, type Revision, revisionsOf, versionSummaries } from './revisions.ts';
import { rolloutStatus } from './rollout-status.ts';

/** H1's default: this many restarts of a new revision's pod is a crash loop (annotation overrides). */
export const defaultCrashLoopRestarts = 3;
export const crashLoopAnnotation = 'cutover.dev/crash-loop-restarts';

export const inputsNote = 'Kubernetes does not report requests: a Deployment has no request queue of its own';

export interface DeploymentState {
  deployment: V1Deployment;
  replicaSets: Iterable<V1ReplicaSet>;
  pods: Iterable<V1Pod>;
}

export interface SnapshotExtras {
  events: AppEvent[];
  metrics: MetricSample[];
  at: number;
}

function crashLoopThreshold(deployment: V1Deployment): number {
  const n = Number(deployment.metadata?.annotations?.[crashLoopAnnotation]);
  return Number.isInteger(n) && n > 0 ? n : defaultCrashLoopRestarts;
}

/** H1: the newest revision's pods crash-looping past the threshold, or null. */
function crashLoop(pods: V1Pod[], threshold: number): string | null {
  const looping = pods.find((p) => podRestarts(p) >= threshold && podState(p) !== 'ready');
  if (!looping) return null;
  return `pod ${looping.metadata?.name} restarted ${podRestarts(looping)} times (crash loop past ${threshold})`;
}

/** The pods of each revision, matched by owner (ReplicaSet uid). */
function podsByRevision(revisions: Revision[], pods: Iterable<V1Pod>): Map<number, V1Pod[]> {
  const byUid = new Map(revisions.map((r) => [r.rs.metadata?.uid ?? '', r.number]));
  const result = new Map<number, V1Pod[]>();
  for (const pod of pods) {
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
    const revision = owner ? byUid.get(owner.uid) : undefined;
    if (revision === undefined) continue;
    result.set(revision, [...(result.get(revision) ?? []), pod]);
  }
  return result;
}

export function toSnapshot(
  state: DeploymentState,
  extras: SnapshotExtras,
  platform = 'kubernetes',
): Snapshot {
  const { deployment } = state;
  const name = deployment.metadata?.name ?? '';
  const revisions = revisionsOf(controlledBy(state.replicaSets, deployment.metadata?.uid));
  const pods = podsByRevision(revisions, state.pods);
  const newest = revisions[0];
  const status = rolloutStatus(deployment);
  const strategy = deployment.spec?.strategy?.type === 'Recreate' ? 'recreate' : 'rolling';
  const wanted = deployment.spec?.replicas ?? 1;
  const crashed = newest ? crashLoop(pods.get(newest.number) ?? [], crashLoopThreshold(deployment)) : null;
  const failedReason = status.failed ? status.message : crashed;
  // The version that serves while the newest rolls: the newest older revision that still has pods.
  const serving = revisions.slice(1).find((r) => (r.rs.status?.replicas ?? 0) > 0) ?? revisions[1];
  const newestOutcome: Outcome = failedReason ? 'failed' : status.done ? 'active' : 'rolling';
  const history = versionSummaries(revisions, deployment, newestOutcome);
  const stopped =
    deployment.metadata?.annotations?.[annotations.replicasBeforeStop] !== undefined && wanted === 0;

  let rollout: RolloutSummary | null = null;
  if (newest && !status.done && !failedReason && !stopped) {
    const newReady = newest.rs.status?.availableReplicas ?? 0;
    const oldReplicas = revisions.slice(1).reduce((sum, r) => sum + (r.rs.status?.replicas ?? 0), 0);
    const phase: RolloutSummary['phase'] =
      strategy === 'recreate'
        ? 'recreating'
        : newReady === 0
          ? 'starting'
          : (newest.rs.status?.replicas ?? 0) >= wanted && oldReplicas > 0
            ? 'draining'
            : 'rolling';
    rollout = {
      from: serving?.number ?? null,
      to: newest.number,
      kind: newest.kind,
      strategy,
      phase,
      ready: newReady,
      target: wanted,
      startedAt: millis(newest.rs.metadata?.creationTimestamp) ?? extras.at,
      message: status.message,
    };
  }
  const active = status.done ? newest?.number : serving?.number;
  // Oldest revision first, like the local platform's list (and k9s's, Argo's revision tree).
  const containers = [...revisions]
    .reverse()
    .flatMap((r) =>
      (pods.get(r.number) ?? [])
        .map((p) => containerSummary(p, name, r.number))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  return {
    platform,
    app: name,
    appId: name,
    status: stopped ? 'stopped' : 'deployed',
    version: active ?? null,
    strategy,
    rollout,
    paused: deployment.spec?.paused === true,
    rollbackTarget: defaultRollbackTarget(revisions),
    inputsNote,
    building: null,
    failed: failedReason && newest ? { version: newest.number, reason: failedReason } : null,
    functions: [{ name, url: null, target: wanted, concurrency: null }],
    containers,
    inputs: {
      queued: null,
      inFlight: null,
      done: null,
      failed: null,
      donePerSecond: null,
      failedPerSecond: null,
      p50: null,
      p95: null,
    },
    events: extras.events,
    history,
    metrics: extras.metrics,
    at: extras.at,
  };
}

/** The newest revision number the Deployment has (what a command's new version will follow). */
export function maxRevision(replicaSets: Iterable<V1ReplicaSet>): number {
  let max = 0;
  for (const rs of replicaSets) max = Math.max(max, revisionOf(rs));
  return max;
}
