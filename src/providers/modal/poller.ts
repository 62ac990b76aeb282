// One poll loop per watched app, shared by every subscriber (the screen, `wait`, a command
// waiting for its rollout), like an informer: every ~2 s it looks at the app through Modal's
// public interfaces and hands each subscriber the same snapshot. A failed look says so on the
// feed (live: false) and is retried with a growing pause; the first good one says live again.
// Unknown apps, refused credentials and a missing `modal` end the feed: retrying cannot help.
import type { FeedState, Unsubscribe, WatchObserver } from '../../engine/provider.ts';
import { isProviderError } from '../../engine/provider-error.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent, MetricSample } from '../../engine/types.ts';
import { changeEvents } from './change-events.ts';
import type { AppReader } from './observe.ts';
import type { ModalStore } from './store.ts';
import { sampleOf, toSnapshot } from './to-snapshot.ts';

export const pollIntervalMs = 2_000;
const maxBackoffMs = 15_000;
const keptSamples = 900;
const keptEvents = 200;
const shownEvents = 100;

/** Errors after which polling again cannot help. */
function permanent(error: unknown): boolean {
  return isProviderError(error) && ['not-found', 'forbidden', 'usage'].includes(error.code);
}

export class AppPoller {
  private readonly observers = new Set<WatchObserver>();
  private readonly metrics: MetricSample[] = [];
  private readonly observed: AppEvent[] = [];
  private last: Snapshot | null = null;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private again = false;
  private failures = 0;
  private lastGoodAt = Date.now();
  private closed = false;

  constructor(
    private readonly app: string,
    private readonly reader: AppReader,
    private readonly store: ModalStore,
    private readonly onIdle: () => void,
  ) {}

  /** The latest snapshot if it is fresher than one poll, for a `snapshot()` while watching. */
  fresh(now: number): Snapshot | null {
    return this.last !== null && now - this.last.at < pollIntervalMs ? this.last : null;
  }

  subscribe(observer: WatchObserver): Unsubscribe {
    this.observers.add(observer);
    if (this.last !== null) observer.snapshot(this.last);
    if (this.observers.size === 1 && !this.polling) this.schedule(0);
    return () => {
      this.observers.delete(observer);
      if (this.observers.size === 0) this.close();
    };
  }

  /** Looks again now (after a command), rather than at the next tick. */
  refresh(): void {
    if (this.closed) return;
    if (this.polling) this.again = true;
    else this.schedule(0);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.onIdle();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.closed) this.timer = setTimeout(() => void this.tick(), ms);
  }

  private feed(state: FeedState): void {
    for (const o of this.observers) o.feed?.(state);
  }

  private async tick(): Promise<void> {
    this.polling = true;
    try {
      const observation = await this.reader.observe(this.app);
      if (this.closed) return;
      const stored = this.store.events(observation.app.name, shownEvents);
      const draft = toSnapshot(observation, [], []);
      this.observed.push(...changeEvents(this.last, draft, observation));
      this.observed.splice(0, Math.max(0, this.observed.length - keptEvents));
      const sample = sampleOf(draft);
      this.metrics.push(sample);
      this.metrics.splice(0, Math.max(0, this.metrics.length - keptSamples));
      const events = [...stored, ...this.observed].sort((a, b) => a.at - b.at).slice(-shownEvents);
      const snapshot = { ...draft, events, metrics: [...this.metrics] };
      this.last = snapshot;
      if (this.failures > 0) this.feed({ live: true });
      this.failures = 0;
      this.lastGoodAt = snapshot.at;
      for (const o of this.observers) o.snapshot(snapshot);
    } catch (error) {
      if (this.closed) return;
      if (permanent(error)) {
        for (const o of this.observers) o.error(error as Error);
        this.close();
        return;
      }
      this.failures++;
      const message = (error as Error).message.split('\n')[0];
      this.feed({
        live: false,
        message: `lost Modal: ${message}; retrying (attempt ${this.failures})`,
        since: this.lastGoodAt,
      });
    } finally {
      this.polling = false;
      const pause =
        this.failures === 0 ? pollIntervalMs : Math.min(maxBackoffMs, pollIntervalMs * 2 ** this.failures);
      this.schedule(this.again ? 0 : pause);
      this.again = false;
    }
  }
}
