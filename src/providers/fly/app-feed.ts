// One poll loop per app, shared by every subscriber (k9s's watch factory, client-go's informers):
// the Machines API has no stream, so the machines and releases are read every 1.5 s and each
// read becomes a Snapshot. A read that times out or fails says so at once ("reconnecting to
// Fly…"), backs off, and publishes nothing until a read succeeds again: stale numbers are never
// shown as live. An unknown app or a refused token ends the feed with an error.
import type { FeedState, WatchObserver } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { MetricSample } from '../../engine/types.ts';
import { FlyEventLog } from './fly-event-log.ts';

export interface PollTiming {
  /** Between two reads while all is well. */
  pollMs: number;
  /** A read taking longer is abandoned and counts as a failure. */
  timeoutMs: number;
  /** The longest wait between retries after failures (doubling from pollMs). */
  maxBackoffMs: number;
}

export const defaultPollTiming: PollTiming = { pollMs: 1500, timeoutMs: 8000, maxBackoffMs: 15_000 };

const metricsLimit = 600;

/** Reads the app once; the feed adds its events and samples. */
export type ReadSnapshot = (signal: AbortSignal) => Promise<Snapshot>;

export class AppFeed {
  readonly log: FlyEventLog;
  readonly metrics: MetricSample[] = [];
  private readonly observers = new Set<WatchObserver>();
  private timer: NodeJS.Timeout | null = null;
  private inflight: AbortController | null = null;
  private feed: FeedState = { live: true };
  private lastGood = Date.now();
  private failures = 0;
  private latest: Snapshot | null = null;
  private running = false;

  constructor(
    readonly app: string,
    private readonly read: ReadSnapshot,
    private readonly timing: PollTiming = defaultPollTiming,
  ) {
    this.log = new FlyEventLog(app);
  }

  subscribe(observer: WatchObserver): () => void {
    this.observers.add(observer);
    if (!this.running) this.start();
    else if (this.latest && this.feed.live) observer.snapshot(this.latest);
    else if (!this.feed.live) observer.feed?.(this.feed);
    return () => {
      this.observers.delete(observer);
      if (this.observers.size === 0) this.stop();
    };
  }

  get subscribers(): number {
    return this.observers.size;
  }

  /** A snapshot with this feed's events and samples, for a one-off read. */
  decorate(snapshot: Snapshot): Snapshot {
    return { ...snapshot, events: [...this.log.events], metrics: [...this.metrics] };
  }

  private start(): void {
    this.running = true;
    this.failures = 0;
    void this.tick();
  }

  private stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inflight?.abort();
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const controller = new AbortController();
    this.inflight = controller;
    const deadline = setTimeout(() => controller.abort(), this.timing.timeoutMs);
    try {
      const snapshot = await Promise.race([
        this.read(controller.signal),
        new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () =>
            reject(
              new ProviderError('unavailable', `Fly did not answer within ${this.timing.timeoutMs / 1000}s`, {
                reason: 'timeout',
              }),
            ),
          ),
        ),
      ]);
      if (!this.running) return;
      this.succeeded(snapshot);
      this.schedule(this.timing.pollMs);
    } catch (error) {
      if (!this.running) return;
      if (
        error instanceof ProviderError &&
        (error.code === 'not-found' || error.code === 'forbidden' || error.code === 'usage')
      ) {
        for (const o of [...this.observers]) o.error(error);
        this.stop();
        return;
      }
      this.failed(error as Error);
      const backoff = Math.min(
        this.timing.maxBackoffMs,
        this.timing.pollMs * 2 ** Math.min(this.failures, 10),
      );
      this.schedule(backoff);
    } finally {
      clearTimeout(deadline);
      if (this.inflight === controller) this.inflight = null;
    }
  }

  private succeeded(raw: Snapshot): void {
    this.failures = 0;
    if (!this.feed.live) {
      this.feed = { live: true };
      this.log.add('info', 'feed-restored', 'connection to Fly restored', {}, raw.at);
      for (const o of this.observers) o.feed?.(this.feed);
    }
    this.log.observe(raw);
    this.sample(raw);
    const snapshot = this.decorate(raw);
    this.latest = snapshot;
    this.lastGood = snapshot.at;
    for (const o of this.observers) o.snapshot(snapshot);
  }

  private failed(error: Error): void {
    this.failures += 1;
    const message = `reconnecting to Fly… (${error.message}; attempt ${this.failures})`;
    if (this.feed.live) this.log.add('warn', 'feed-lost', `lost Fly: ${error.message}`);
    this.feed = { live: false, message, since: this.lastGood };
    for (const o of this.observers) o.feed?.(this.feed);
  }

  /** M1: machines by release and state, and inputs where reported, once per read. */
  private sample(snapshot: Snapshot): void {
    const containers: MetricSample['containers'] = {};
    for (const c of snapshot.containers) {
      const byState = containers[String(c.version)] ?? {};
      byState[c.state] = (byState[c.state] ?? 0) + 1;
      containers[String(c.version)] = byState;
    }
    const rate = (perSecond: number | null) => Math.round((perSecond ?? 0) * (this.timing.pollMs / 1000));
    this.metrics.push({
      appId: this.app,
      at: snapshot.at,
      containers,
      queued: 0,
      inFlight: snapshot.inputs.inFlight ?? 0,
      done: rate(snapshot.inputs.donePerSecond),
      failed: rate(snapshot.inputs.failedPerSecond),
      p50: snapshot.inputs.p50,
      p95: snapshot.inputs.p95,
      p99: null,
    });
    if (this.metrics.length > metricsLimit) this.metrics.splice(0, this.metrics.length - metricsLimit);
  }
}
