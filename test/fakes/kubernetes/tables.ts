// Server-side printing: the meta.k8s.io/v1 Table a client gets when it asks for
// `application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get does), with the columns and cell
// values of k8s.io/kubernetes pkg/printers/internalversion/printers.go (printDeployment,
// printReplicaSet, printPod, printNamespace) and apimachinery's duration.HumanDuration for AGE.
import type { Json, JsonObject } from './json.ts';
import type { KubeObject, Pod } from './types.ts';

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

/** duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  return `${Math.floor(hours / 24)}d`;
}

const age = (created: string, now: number): string => humanDuration(now - Date.parse(created));

type Column = [name: string, type: string, priority: number, format?: string];

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    ['Name', 'string', 0, 'name'],
    ['Ready', 'string', 0],
    ['Up-to-date', 'integer', 0],
    ['Available', 'integer', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ],
  ReplicaSet: [
    ['Name', 'string', 0, 'name'],
    ['Desired', 'integer', 0],
    ['Current', 'integer', 0],
    ['Ready', 'integer', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ],
  Pod: [
    ['Name', 'string', 0, 'name'],
    ['Ready', 'string', 0],
    ['Status', 'string', 0],
    ['Restarts', 'string', 0],
    ['Age', 'string', 0],
    ['IP', 'string', 1],
    ['Node', 'string', 1],
    ['Nominated Node', 'string', 1],
    ['Readiness Gates', 'string', 1],
  ],
  Namespace: [
    ['Name', 'string', 0, 'name'],
    ['Status', 'string', 0],
    ['Age', 'string', 0],
  ],
};

/** printPod's STATUS: the waiting or terminated reason of a container, or Terminating. */
function podReason(pod: Pod): string {
  let reason: string = pod.status.phase;
  if (typeof pod.status.reason === 'string' && pod.status.reason) reason = pod.status.reason;
  let hasRunning = false;
  for (const c of [...(pod.status.containerStatuses ?? [])].reverse()) {
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated)
      reason = c.state.terminated.reason || `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state.running && c.ready) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function podRestarts(pod: Pod, now: number): string {
  let restarts = 0;
  let last = 0;
  for (const c of pod.status.containerStatuses ?? []) {
    restarts += c.restartCount;
    const finished = c.lastState.terminated?.finishedAt;
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  return restarts !== 0 && last ? `${restarts} (${humanDuration(now - last)} ago)` : String(restarts);
}

function cells(object: KubeObject, now: number): Json[] {
  const created = object.metadata.creationTimestamp;
  switch (object.kind) {
    case 'Deployment': {
      const c = object.spec.template.spec.containers;
      const s = object.status;
      return [
        object.metadata.name,
        `${s.readyReplicas ?? 0}/${object.spec.replicas}`,
        s.updatedReplicas ?? 0,
        s.availableReplicas ?? 0,
        age(created, now),
        c.map((x) => x.name).join(','),
        c.map((x) => x.image).join(','),
        Object.entries(object.spec.selector.matchLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ];
    }
    case 'ReplicaSet': {
      const c = object.spec.template.spec.containers;
      return [
        object.metadata.name,
        object.spec.replicas,
        object.status.replicas,
        object.status.readyReplicas ?? 0,
        age(created, now),
        c.map((x) => x.name).join(','),
        c.map((x) => x.image).join(','),
        Object.entries(object.spec.selector.matchLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      ];
    }
    case 'Pod': {
      const statuses = object.status.containerStatuses ?? [];
      const ready = statuses.filter((c) => c.ready).length;
      return [
        object.metadata.name,
        `${ready}/${object.spec.containers.length}`,
        podReason(object),
        podRestarts(object, now),
        age(created, now),
        object.status.podIP ?? '<none>',
        object.spec.nodeName ?? '<none>',
        '<none>',
        '<none>',
      ];
    }
    case 'Namespace':
      return [object.metadata.name, object.status.phase, age(created, now)];
  }
}

/** The Table for these objects; rows carry PartialObjectMetadata (includeObject=Metadata). */
export function toTable(
  kind: string,
  objects: KubeObject[],
  resourceVersion: string,
  now = Date.now(),
): JsonObject {
  const columnDefinitions = (COLUMNS[kind] ?? []).map(([name, type, priority, format]) => ({
    name,
    type,
    format: format ?? '',
    description: '',
    priority,
  }));
  const rows = objects.map((object) => ({
    cells: cells(object, now),
    object: {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: object.metadata as unknown as JsonObject,
    },
  }));
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions,
    rows,
  };
}
