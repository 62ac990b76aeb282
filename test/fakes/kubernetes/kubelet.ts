// A scripted kubelet for the fake's one node: per image, pods become Ready after a delay,
// crash-loop, never pull their image, or never get scheduled; deleted pods stay Terminating for
// a grace period and then go. Pod conditions and phase as pkg/kubelet/status/generate.go sets
// them; container logs kept per run, for `kubectl logs` and `logs -f`.
import { clone, deepEqual } from './json.ts';
import { type ContainerScript, containerMoment } from './kubelet-script.ts';
import { timestamp } from './objects.ts';
import type { Store } from './store.ts';
import type { Condition, Pod } from './types.ts';

export type { ContainerScript } from './kubelet-script.ts';

export interface LogLine {
  at: number;
  text: string;
}

interface ContainerLog {
  run: number;
  current: LogLine[];
  previous: LogLine[] | null;
}

interface PodLife {
  createdAt: number;
  /** Its status is recomputed from this time on (or when a script changes). */
  nextCheck: number;
  scriptsSeen: number;
  deletedAt: number | null;
  logs: Map<string, ContainerLog>;
  podIP: string;
}

export class Kubelet {
  private readonly scripts = new Map<string, ContainerScript>();
  private readonly lives = new Map<string, PodLife>();
  private readonly followers = new Set<{
    uid: string;
    container: string;
    write: (line: LogLine | null) => void;
  }>();
  private nextIP = 10;
  /** Bumped by behave(): every pod's status is recomputed at the next tick. */
  private scriptsVersion = 0;

  constructor(
    private readonly store: Store,
    private readonly terminationMs: number,
  ) {}

  behave(image: string, script: ContainerScript): void {
    this.scripts.set(image, { ...script });
    this.scriptsVersion++;
  }

  scriptFor(image: string): ContainerScript {
    return this.scripts.get(image) ?? {};
  }

  /** Appends a line to the current log of every started container running this image. */
  emit(image: string, text: string): void {
    const now = Date.now();
    for (const pod of this.store.scan<Pod>('pods')) {
      const life = this.lives.get(pod.metadata.uid);
      for (const c of pod.spec.containers) {
        const log = life?.logs.get(c.name);
        if (c.image !== image || !log || log.run < 0) continue;
        const line = { at: now, text };
        log.current.push(line);
        this.notify(pod.metadata.uid, c.name, line);
      }
    }
  }

  tick(now: number): void {
    for (const stored of this.store.scan<Pod>('pods')) {
      const life = this.life(stored, now);
      if (
        !stored.metadata.deletionTimestamp &&
        now < life.nextCheck &&
        life.scriptsSeen === this.scriptsVersion
      )
        continue;
      const pod = clone(stored);
      if (pod.metadata.deletionTimestamp) {
        life.deletedAt ??= now;
        const script = this.scriptFor(pod.spec.containers[0]?.image ?? '');
        if (now - life.deletedAt >= (script.terminationMs ?? this.terminationMs)) {
          this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
          this.lives.delete(pod.metadata.uid);
          for (const c of pod.spec.containers) this.notify(pod.metadata.uid, c.name, null);
          continue;
        }
      }
      const next = clone(pod);
      next.status = this.statusAt(pod, life, now);
      if (!deepEqual(next.status, pod.status)) this.store.update('pods', next, 'status');
    }
  }

  /** The container's log lines (the previous run's with `previous`), or null when it has none. */
  logs(pod: Pod, container: string, previous: boolean): LogLine[] | null {
    const log = this.lives.get(pod.metadata.uid)?.logs.get(container);
    if (!log || log.run < 0) return null;
    return previous ? log.previous : log.current;
  }

  /** Calls `write` with each new line of the container's log, and with null when the pod is gone. */
  follow(pod: Pod, container: string, write: (line: LogLine | null) => void): () => void {
    const follower = { uid: pod.metadata.uid, container, write };
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }

  private notify(uid: string, container: string, line: LogLine | null): void {
    for (const f of this.followers) if (f.uid === uid && f.container === container) f.write(line);
  }

  private life(pod: Pod, now: number): PodLife {
    let life = this.lives.get(pod.metadata.uid);
    if (!life) {
      life = {
        createdAt: now,
        nextCheck: now,
        scriptsSeen: -1,
        deletedAt: null,
        logs: new Map(),
        podIP: `10.244.0.${this.nextIP++ % 250}`,
      };
      this.lives.set(pod.metadata.uid, life);
    }
    return life;
  }

  private statusAt(pod: Pod, life: PodLife, now: number): Pod['status'] {
    const scripts = pod.spec.containers.map((c) => this.scriptFor(c.image));
    const created = timestamp(life.createdAt);
    const condition = (
      type: string,
      status: Condition['status'],
      at: number,
      reason?: string,
      message?: string,
    ) => {
      const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: timestamp(at) };
      if (reason) c.reason = reason;
      if (message) c.message = message;
      return c;
    };
    if (scripts.some((s) => s.unschedulable)) {
      life.nextCheck = Number.POSITIVE_INFINITY;
      life.scriptsSeen = this.scriptsVersion;
      const message =
        '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
      return {
        phase: 'Pending',
        conditions: [condition('PodScheduled', 'False', life.createdAt, 'Unschedulable', message)],
        qosClass: 'BestEffort',
      };
    }
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    const moments = pod.spec.containers.map((c, i) =>
      containerMoment(c.name, c.image, scripts[i]!, life.createdAt, now, podRef, pod.metadata.uid),
    );
    life.nextCheck = Math.min(...moments.map((m) => m.changesAt));
    life.scriptsSeen = this.scriptsVersion;
    moments.forEach((m, i) => {
      this.recordRun(pod, pod.spec.containers[i]!.name, m.run, scripts[i]!, now);
    });
    const unready = moments.filter((m) => !m.status.ready).map((m) => m.status.name);
    const readySince = unready.length === 0 ? Math.max(...moments.map((m) => m.readySince ?? 0)) : null;
    const ready =
      readySince === null
        ? condition(
            'Ready',
            'False',
            life.createdAt,
            'ContainersNotReady',
            `containers with unready status: [${unready.join(' ')}]`,
          )
        : condition('Ready', 'True', readySince);
    const containersReady = { ...ready, type: 'ContainersReady' };
    const started = moments.every((m) => m.run >= 0);
    const status: Pod['status'] = {
      phase: started ? 'Running' : 'Pending',
      conditions: [
        condition('PodReadyToStartContainers', 'True', life.createdAt),
        condition('Initialized', 'True', life.createdAt),
        ready,
        containersReady,
        condition('PodScheduled', 'True', life.createdAt),
      ],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      containerStatuses: moments.map((m) => m.status),
      qosClass: 'BestEffort',
      startTime: created,
    };
    if (started) {
      status.podIP = life.podIP;
      status.podIPs = [{ ip: life.podIP }];
    }
    return status;
  }

  /** A new run of a container prints its scripted lines; the last run's become `previous`. */
  private recordRun(pod: Pod, container: string, run: number, script: ContainerScript, now: number): void {
    const life = this.lives.get(pod.metadata.uid)!;
    const log = life.logs.get(container) ?? { run: -1, current: [], previous: null };
    life.logs.set(container, log);
    if (run <= log.run) return;
    if (log.run >= 0) log.previous = log.current;
    log.run = run;
    log.current = (script.logs ?? []).map((text) => ({ at: now, text }));
    for (const line of log.current) this.notify(pod.metadata.uid, container, line);
  }
}
