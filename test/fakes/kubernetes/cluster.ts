// The fake cluster: the store, the Deployment and ReplicaSet controllers and the kubelet,
// reconciled on the real clock (a short timer, and soon after every write), plus the
// test-facing controls to create and change Deployments and to read the model.
import { DeploymentController } from './deployment-controller.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { clone } from './json.ts';
import { Kubelet } from './kubelet.ts';
import { defaultDeployment, revisionOf } from './objects.ts';
import { ReplicaSetController } from './replicaset-controller.ts';
import { Store } from './store.ts';
import type { Deployment, Namespace, Pod, ReplicaSet } from './types.ts';

/** A container of createDeployment: env, envFrom and volumeMounts are passed through as given. */
export interface ContainerInput {
  name: string;
  image: string;
  env?: unknown[];
  envFrom?: unknown[];
  volumeMounts?: unknown[];
}

export interface DeploymentInput {
  namespace?: string;
  name: string;
  replicas?: number;
  /** One container named after the Deployment; or give `containers`. */
  image?: string;
  containers?: ContainerInput[];
  strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: string | number;
  maxUnavailable?: string | number;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  volumes?: unknown[];
  annotations?: Record<string, string>;
  paused?: boolean;
}

export interface ClusterOptions {
  /** How often the controllers and the kubelet run (default 25 ms). */
  tickMs?: number;
  /** How long a deleted pod stays Terminating (default 300 ms). */
  terminationMs?: number;
  /** Watch history kept, in events (default 300). */
  historyLimit?: number;
}

export const DEFAULT_NAMESPACE = 'shop-ns';

export class Cluster {
  readonly store: Store;
  readonly kubelet: Kubelet;
  private readonly deploymentController: DeploymentController;
  private readonly replicaSetController: ReplicaSetController;
  private readonly garbageCollector: GarbageCollector;
  private readonly timer: NodeJS.Timeout;
  private soon: NodeJS.Timeout | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(options: ClusterOptions = {}) {
    this.store = new Store(options.historyLimit ?? 300);
    this.kubelet = new Kubelet(this.store, options.terminationMs ?? 300);
    this.deploymentController = new DeploymentController(this.store);
    this.garbageCollector = new GarbageCollector(this.store);
    this.replicaSetController = new ReplicaSetController(this.store, 'fake-node-1', (images) =>
      images.every((image) => !this.kubelet.scriptFor(image).unschedulable),
    );
    for (const name of ['default', 'kube-system', DEFAULT_NAMESPACE]) this.createNamespace(name);
    this.timer = setInterval(() => this.reconcile(), options.tickMs ?? 25);
  }

  /** Runs the controllers soon: after a write, as a real controller's informer would. */
  poke(): void {
    this.soon ??= setTimeout(() => {
      this.soon = null;
      this.reconcile();
    }, 5);
  }

  /** Every loop until nothing changes (at most 20 passes), like controllers reacting to their own writes. */
  reconcile(): void {
    for (let pass = 0; pass < 20; pass++) {
      const before = this.store.resourceVersion;
      const now = Date.now();
      this.kubelet.tick(now);
      this.garbageCollector.collect(now);
      this.replicaSetController.syncAll(now);
      this.deploymentController.syncAll();
      if (this.store.resourceVersion === before) break;
    }
    for (const check of [...this.waiters]) check();
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
  }

  createNamespace(name: string): void {
    const ns: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: '', creationTimestamp: '', labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    };
    this.store.create('namespaces', ns);
  }

  hasNamespace(name: string): boolean {
    return this.store.get('namespaces', undefined, name) !== undefined;
  }

  createDeployment(input: DeploymentInput): void {
    const namespace = input.namespace ?? DEFAULT_NAMESPACE;
    if (!this.hasNamespace(namespace)) this.createNamespace(namespace);
    const labels = { app: input.name };
    const containers = (input.containers ?? [{ name: input.name, image: input.image ?? 'nginx:1.27' }]).map(
      (c) => clone(c),
    );
    const strategy: Deployment['spec']['strategy'] =
      input.strategy === 'Recreate'
        ? { type: 'Recreate' }
        : {
            type: 'RollingUpdate',
            rollingUpdate: {
              maxSurge: input.maxSurge ?? '25%',
              maxUnavailable: input.maxUnavailable ?? '25%',
            },
          };
    const d = defaultDeployment({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: input.name,
        namespace,
        uid: '',
        creationTimestamp: '',
        labels: { ...labels },
        ...(input.annotations ? { annotations: { ...input.annotations } } : {}),
      },
      spec: {
        replicas: input.replicas ?? 1,
        selector: { matchLabels: { ...labels } },
        strategy,
        revisionHistoryLimit: input.revisionHistoryLimit ?? 10,
        progressDeadlineSeconds: input.progressDeadlineSeconds ?? 600,
        ...(input.minReadySeconds ? { minReadySeconds: input.minReadySeconds } : {}),
        ...(input.paused ? { paused: true } : {}),
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            containers: containers as Deployment['spec']['template']['spec']['containers'],
            ...(input.volumes ? { volumes: clone(input.volumes) } : {}),
          },
        },
      },
      status: {},
    });
    this.store.create('deployments', d);
    this.poke();
  }

  /** Changes a container's image (the only one, or `container`), as another operator would. */
  setImage(namespace: string, name: string, image: string, container?: string): void {
    const d = this.deployment(namespace, name);
    const target = container
      ? d.spec.template.spec.containers.find((c) => c.name === container)
      : d.spec.template.spec.containers[0];
    if (!target) throw new Error(`deployment ${name} has no container ${container}`);
    target.image = image;
    this.store.update('deployments', d);
    this.poke();
  }

  /** Deletes the Deployment; its ReplicaSets and pods follow (background cascade). */
  deleteDeployment(namespace: string, name: string): void {
    if (!this.store.delete('deployments', namespace, name))
      throw new Error(`no deployment ${namespace}/${name}`);
    this.poke();
  }

  deployment(namespace: string, name: string): Deployment {
    const d = this.store.get<Deployment>('deployments', namespace, name);
    if (!d) throw new Error(`no deployment ${namespace}/${name}`);
    return d;
  }

  /** The Deployment's ReplicaSets, by revision. */
  replicaSets(namespace: string, name: string): ReplicaSet[] {
    const uid = this.deployment(namespace, name).metadata.uid;
    return this.store
      .controlledBy<ReplicaSet>('replicasets', uid)
      .map((rs) => clone(rs))
      .sort((a, b) => revisionOf(a) - revisionOf(b) || a.metadata.name.localeCompare(b.metadata.name));
  }

  /** The pods of the Deployment's ReplicaSets, Terminating ones included. */
  pods(namespace: string, name: string): Pod[] {
    return this.replicaSets(namespace, name)
      .flatMap((rs) => this.store.controlledBy<Pod>('pods', rs.metadata.uid).map((pod) => clone(pod)))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  /** Resolves once `ready()` holds, checked after each reconcile (every tick; rejects after `timeoutMs`). */
  until(ready: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      if (ready()) return resolve();
      const timeout = setTimeout(() => {
        off();
        reject(new Error(`fake cluster: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timeout);
        off();
        resolve();
      };
      const off = () => this.waiters.delete(check);
      this.waiters.add(check);
    });
  }

  /** Resolves when the Deployment's rollout is complete and no old pod is left, Terminating or not. */
  rolledOut(namespace: string, name: string, timeoutMs = 10_000): Promise<void> {
    return this.until(
      () => {
        const d = this.store.get<Deployment>('deployments', namespace, name);
        if (!d) return false;
        const s = d.status;
        const pods = this.pods(namespace, name);
        return (
          (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
          (s.updatedReplicas ?? 0) === d.spec.replicas &&
          (s.replicas ?? 0) === d.spec.replicas &&
          (s.availableReplicas ?? 0) === d.spec.replicas &&
          pods.length === d.spec.replicas
        );
      },
      timeoutMs,
      `deployment ${namespace}/${name} to roll out`,
    );
  }
}
