// A Deployment's pods as the engine's containers: draining once deletionTimestamp is set (kubectl
// shows Terminating), ready when the Ready condition is True, failed when the pod failed, else
// starting — each with the reason kubectl describe would give (CrashLoopBackOff, ImagePullBackOff,
// Unschedulable, OOMKilled, exit codes).
import type { V1Pod } from '@kubernetes/client-node';
import type { ContainerSummary } from '../../engine/snapshot.ts';
import type { ContainerState } from '../../engine/types.ts';
import { millis } from './objects.ts';

export function podState(pod: V1Pod): ContainerState {
  if (pod.metadata?.deletionTimestamp) return 'draining';
  if (pod.status?.phase === 'Failed') return 'failed';
  if (pod.status?.phase === 'Succeeded') return 'exited';
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' ? 'ready' : 'starting';
}

/** Why a pod is not ready, or what last killed its container; null when there is nothing to say. */
export function podReason(pod: V1Pod): string | null {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    const last = s.lastState?.terminated;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
      const exited = last
        ? ` (${last.reason === 'OOMKilled' ? 'OOMKilled' : `exited ${last.exitCode}`})`
        : '';
      return `${waiting.reason}${exited}`;
    }
    const terminated = s.state?.terminated;
    if (terminated && terminated.exitCode !== 0) {
      return terminated.reason === 'OOMKilled' ? 'OOMKilled' : `exited ${terminated.exitCode}`;
    }
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return scheduled.reason ?? 'Unschedulable';
  if (pod.status?.phase === 'Failed') return pod.status.reason ?? 'Failed';
  if (podState(pod) === 'starting') {
    const notReady = (pod.status?.containerStatuses ?? []).find((s) => !s.ready && s.state?.running);
    const last = notReady?.lastState?.terminated;
    // A crash loop between back-offs: the container runs again for a moment; say what killed it.
    if (notReady && last)
      return `running again after exit ${last.exitCode} (${notReady.restartCount} restarts)`;
    if (notReady) return `${notReady.name}: readiness probe not passing`;
  }
  return null;
}

export function podRestarts(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

export function containerSummary(pod: V1Pod, fn: string, version: number): ContainerSummary {
  return {
    id: pod.metadata?.name ?? '',
    function: fn,
    version,
    state: podState(pod),
    inFlight: null,
    startedAt: millis(pod.status?.startTime) ?? millis(pod.metadata?.creationTimestamp),
    reason: podReason(pod),
    restarts: podRestarts(pod),
    location: pod.spec?.nodeName ?? null,
  };
}
