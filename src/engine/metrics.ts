// M1: once a second, per app, what ran and what flowed. Latency percentiles come from the
// second's own samples (sorted once per second, so each input still costs O(1)).
import { type Ctx, emit } from './context.ts';
import type { ContainerState, MetricSample } from './types.ts';
import type { AppState } from './world.ts';

export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** Records the app's sample if a second has passed since the last one. */
export function recordMetrics(ctx: Ctx, app: AppState): void {
  const window = app.window;
  if (ctx.at - window.startedAt < 1000) return;
  if (app.record.status === 'stopped' && app.containers.size === 0 && window.done + window.failed === 0) {
    window.startedAt = ctx.at;
    return;
  }
  const containers: MetricSample['containers'] = {};
  for (const c of app.containers.values()) {
    const byState = containers[c.version] ?? {};
    byState[c.state as ContainerState] = (byState[c.state as ContainerState] ?? 0) + 1;
    containers[c.version] = byState;
  }
  // A typed array sorts numbers natively: no comparator call per comparison, thousands a second.
  const sorted = Float64Array.from(window.latencies).sort();
  const sample: MetricSample = {
    appId: app.record.id,
    at: ctx.wall,
    containers,
    queued: app.queued,
    inFlight: app.inFlight,
    done: window.done,
    failed: window.failed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
  app.recentMetrics.push(sample);
  if (app.recentMetrics.length > ctx.world.options.recentMetrics) app.recentMetrics.shift();
  app.window = { startedAt: ctx.at, done: 0, failed: 0, latencies: [] };
  emit(ctx, { type: 'record-metrics', sample });
}
