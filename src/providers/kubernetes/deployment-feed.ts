// One live feed per Deployment, shared by every subscriber (k9s's watch factory, client-go's
// informers): a watch of the Deployment, of its ReplicaSets and of its pods, each listed then
// watched; every change rebuilds the Snapshot. A lost connection is said at once ("reconnecting to
// prod-eu…"), and the numbers are then marked stale, never shown as live.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { FeedState, WatchObserver } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { MetricSample } from '../../engine/types.ts';
import { EventLog } from './event-log.ts';
import type { KubeApi } from './kube-api.ts';
import { labelSelector } from './objects.ts';
import { ResourceWatch, type WatchTiming } from './resource-watch.ts';
import { toSnapshot } from './to-snapshot.ts';

const metricsLimit = 600;

export class DeploymentFeed {
  readonly log = new EventLog();
  private readonly observers = new Set<WatchObserver>();
  private readonly deployments: ResourceWatch<V1Deployment>;
  private replicaSets: ResourceWatch<V1ReplicaSet> | null = null;
  private pods: ResourceWatch<V1Pod> | null = null;
  private selector = '';
  private readonly metrics: MetricSample[] = [];
  private sampler: NodeJS.Timeout | null = null;
  private pending: NodeJS.Immediate | null = null;
  private feed: FeedState = { live: true };
  private lastGood = Date.now();
  private latest: Snapshot | null = null;
  private readonly lost = new Set<string>();

  constructor(
    private readonly api: KubeApi,
    readonly app: string,
    private readonly timing: WatchTiming,
    private readonly now: () => number = Date.now,
  ) {
    this.deployments = this.reflector<V1Deployment>('deployments', { field: `metadata.name=${app}` });
  }

  private reflector<T extends { metadata?: { name?: string } }>(
    kind: 'deployments' | 'replicasets' | 'pods',
    selector: { label?: string; field?: string },
  ): ResourceWatch<T> {
    return new ResourceWatch<T>(
      this.api,
      kind,
      selector,
      { change: () => this.changed(), health: (error) => this.health(kind, error) },
      this.timing,
    );
  }

  subscribe(observer: WatchObserver): () => void {
    this.observers.add(observer);
    if (this.observers.size === 1) this.start();
    else if (this.latest) observer.snapshot(this.latest);
    return () => {
      this.observers.delete(observer);
      if (this.observers.size === 0) this.stop();
    };
  }

  get subscribers(): number {
    return this.observers.size;
  }

  private start(): void {
    this.deployments.start();
    this.sampler = setInterval(() => this.sample(), 1000);
    this.sampler.unref?.();
  }

  private stop(): void {
    this.deployments.stop();
    this.replicaSets?.stop();
    this.pods?.stop();
    this.replicaSets = null;
    this.pods = null;
    if (this.sampler) clearInterval(this.sampler);
    if (this.pending) clearImmediate(this.pending);
  }

  private health(kind: string, error: Error | null): void {
    if (error) this.lost.add(kind);
    else this.lost.delete(kind);
    const live = this.lost.size === 0;
    if (live === this.feed.live) return;
    const at = this.now();
    this.feed = live
      ? { live: true }
      : {
          live: false,
          message: `reconnecting to ${this.api.context}… (${error?.message ?? 'connection lost'})`,
          since: this.lastGood,
        };
    this.log.add(
      at,
      this.app,
      live ? 'info' : 'warn',
      live ? 'feed-restored' : 'feed-lost',
      live ? `connection to ${this.api.context} restored` : this.feed.live ? '' : this.feed.message,
    );
    for (const o of this.observers) o.feed?.(this.feed);
    if (live) this.changed();
  }

  /** Coalesces a burst of events (a rollout step touches three kinds) into one Snapshot. */
  private changed(): void {
    if (this.pending) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      this.publish();
    });
  }

  private publish(): void {
    if (!this.deployments.synced) return;
    const deployment = this.deployments.items.get(this.app);
    if (!deployment) {
      const error = new ProviderError(
        'not-found',
        `deployment "${this.app}" has been deleted from ${this.api.namespace}`,
      );
      for (const o of [...this.observers]) o.error(error);
      return;
    }
    this.follow(deployment);
    if (!this.replicaSets?.synced || !this.pods?.synced) return;
    const snapshot = toSnapshot(
      { deployment, replicaSets: this.replicaSets.items.values(), pods: this.pods.items.values() },
      { events: this.log.events, metrics: this.metrics, at: this.now() },
    );
    this.log.observe(snapshot);
    snapshot.events = [...this.log.events];
    snapshot.metrics = [...this.metrics];
    this.latest = snapshot;
    if (this.feed.live) this.lastGood = snapshot.at;
    for (const o of this.observers) o.snapshot(snapshot);
  }

  /** Starts (or, when the selector changed, restarts) the ReplicaSet and pod watches. */
  private follow(deployment: V1Deployment): void {
    const selector = labelSelector(deployment);
    if (selector === this.selector && this.replicaSets) return;
    this.selector = selector;
    this.replicaSets?.stop();
    this.pods?.stop();
    this.replicaSets = this.reflector<V1ReplicaSet>('replicasets', { label: selector });
    this.pods = this.reflector<V1Pod>('pods', { label: selector });
    this.replicaSets.start();
    this.pods.start();
  }

  /** M1: containers by version and state, once a second (inputs are not reported here). */
  private sample(): void {
    const snapshot = this.latest;
    if (!snapshot || !this.feed.live) return;
    const containers: MetricSample['containers'] = {};
    for (const c of snapshot.containers) {
      const byState = containers[String(c.version)] ?? {};
      byState[c.state] = (byState[c.state] ?? 0) + 1;
      containers[String(c.version)] = byState;
    }
    this.metrics.push({
      appId: this.app,
      at: this.now(),
      containers,
      queued: 0,
      inFlight: 0,
      done: 0,
      failed: 0,
      p50: null,
      p95: null,
      p99: null,
    });
    if (this.metrics.length > metricsLimit) this.metrics.splice(0, this.metrics.length - metricsLimit);
  }
}
