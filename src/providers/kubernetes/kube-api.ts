// The calls cutover makes of one namespace, through the official client (@kubernetes/client-node
// 1.4.0): the same reads, watches and patches kubectl makes, so a cluster's audit log reads alike.
import { Writable } from 'node:stream';
import {
  AppsV1Api,
  CoreV1Api,
  Log,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
  type V1ReplicaSet,
  Watch,
} from '@kubernetes/client-node';
import type { KubeTarget } from './kube-config.ts';
import { kubeError } from './kube-errors.ts';

export interface Listed<T> {
  items: T[];
  resourceVersion: string;
}

/** One event of a watch, as the API server streams it. */
export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: unknown };

export type ResourceKind = 'deployments' | 'replicasets' | 'pods';

export class KubeApi {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly watcher: Watch;
  readonly namespace: string;
  readonly context: string;

  constructor(readonly target: KubeTarget) {
    this.apps = target.config.makeApiClient(AppsV1Api);
    this.core = target.config.makeApiClient(CoreV1Api);
    this.watcher = new Watch(target.config);
    this.namespace = target.namespace;
    this.context = target.context;
  }

  private async call<T>(where: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw kubeError(error, where);
    }
  }

  /** 404 for a namespace that does not exist; a 403 says nothing (many users cannot read namespaces). */
  async namespaceExists(): Promise<boolean> {
    try {
      await this.core.readNamespace({ name: this.namespace });
      return true;
    } catch (error) {
      const e = kubeError(error, `namespace ${this.namespace}`);
      if (e.code === 'not-found') return false;
      if (e.code === 'forbidden') return true;
      throw e;
    }
  }

  readDeployment(name: string): Promise<V1Deployment> {
    return this.call(`deployment ${name}`, () =>
      this.apps.readNamespacedDeployment({ name, namespace: this.namespace }),
    );
  }

  async list(kind: ResourceKind, selector: { label?: string; field?: string }): Promise<Listed<unknown>> {
    const request = {
      namespace: this.namespace,
      ...(selector.label ? { labelSelector: selector.label } : {}),
      ...(selector.field ? { fieldSelector: selector.field } : {}),
    };
    const list = await this.call(
      `list ${kind}`,
      (): Promise<{ items: unknown[]; metadata?: { resourceVersion?: string } }> =>
        kind === 'deployments'
          ? this.apps.listNamespacedDeployment(request)
          : kind === 'replicasets'
            ? this.apps.listNamespacedReplicaSet(request)
            : this.core.listNamespacedPod(request),
    );
    return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  listReplicaSets(label: string): Promise<Listed<V1ReplicaSet>> {
    return this.list('replicasets', { label }) as Promise<Listed<V1ReplicaSet>>;
  }

  listPods(label: string): Promise<Listed<V1Pod>> {
    return this.list('pods', { label }) as Promise<Listed<V1Pod>>;
  }

  listDeployments(): Promise<Listed<V1Deployment>> {
    return this.list('deployments', {}) as Promise<Listed<V1Deployment>>;
  }

  /** The REST path of a kind in this namespace, as the watch needs it. */
  path(kind: ResourceKind): string {
    const group = kind === 'pods' ? '/api/v1' : '/apis/apps/v1';
    return `${group}/namespaces/${encodeURIComponent(this.namespace)}/${kind}`;
  }

  /** Starts a watch; `done` is called once, with null when the server closed it. */
  watch(
    kind: ResourceKind,
    query: Record<string, string | number | boolean>,
    onEvent: (event: WatchEvent) => void,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    return this.watcher.watch(
      this.path(kind),
      query,
      (type, object) => onEvent({ type: type as WatchEvent['type'], object }),
      done,
    );
  }

  /** kubectl's patch content types: json-patch for undo, strategic merge for restart/pause/set image. */
  patchDeployment(
    name: string,
    body: unknown,
    strategy: 'json' | 'strategic' | 'merge',
    fieldManager?: string,
  ): Promise<V1Deployment> {
    const type =
      strategy === 'json'
        ? PatchStrategy.JsonPatch
        : strategy === 'merge'
          ? PatchStrategy.MergePatch
          : PatchStrategy.StrategicMergePatch;
    return this.call(`patch deployment ${name}`, () =>
      this.apps.patchNamespacedDeployment(
        { name, namespace: this.namespace, body, ...(fieldManager ? { fieldManager } : {}) },
        setHeaderOptions('Content-Type', type),
      ),
    );
  }

  /** kubectl scale: a merge patch of the /scale subresource. */
  async scaleDeployment(name: string, replicas: number): Promise<void> {
    await this.call(`scale deployment ${name}`, () =>
      this.apps.patchNamespacedDeploymentScale(
        { name, namespace: this.namespace, body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  readPodLog(
    pod: string,
    container: string,
    options: { tail?: number; previous?: boolean },
  ): Promise<string> {
    return this.call(`logs of ${pod}`, () =>
      this.core.readNamespacedPodLog({
        name: pod,
        namespace: this.namespace,
        container,
        ...(options.tail === undefined ? {} : { tailLines: options.tail }),
        ...(options.previous ? { previous: true } : {}),
      }),
    );
  }

  /** Streams a container's new output until aborted; `onText` gets chunks as they come. */
  followPodLog(
    pod: string,
    container: string,
    tail: number | undefined,
    onText: (text: string) => void,
  ): Promise<AbortController> {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        onText(chunk.toString('utf8'));
        callback();
      },
    });
    return this.call(`logs of ${pod}`, () =>
      new Log(this.target.config).log(this.namespace, pod, container, sink, {
        follow: true,
        ...(tail === undefined ? {} : { tailLines: tail }),
      }),
    );
  }
}
