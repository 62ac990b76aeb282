// The overview's feed against a real local daemon: its rows come from snapshots asked for
// without metric samples (a row draws no chart, and the samples are most of a snapshot's bytes).
import { afterEach, expect, test } from 'vitest';
import type { Provider, SnapshotOptions } from '../../src/engine/provider.ts';
import { type OverviewData, overviewFeed } from '../../src/ui/overview/overview-feed.ts';
import { type LocalDaemon, startLocalDaemon } from '../helpers/local-daemon.ts';

let daemon: LocalDaemon | null = null;
afterEach(async () => {
  await daemon?.stop();
  daemon = null;
});

test('a snapshot without metrics is the same snapshot with no samples', async () => {
  daemon = await startLocalDaemon();
  const d = daemon;
  // Samples are taken once a second: wait for the first.
  const whole = await d.until((s) => s.metrics.length > 0);
  const lean = await d.provider.snapshot('tiny', { metrics: false });
  expect(lean.metrics).toEqual([]);
  const { metrics: _m, at: _a, inputs: _i, ...rest } = whole;
  expect(lean).toMatchObject(rest);
  expect(JSON.stringify(lean).length).toBeLessThan(JSON.stringify(whole).length);
});

test("the overview's rows ask each app's snapshot without metrics, and show the app", async () => {
  daemon = await startLocalDaemon();
  const asked: (SnapshotOptions | undefined)[] = [];
  const real = daemon.provider;
  // The real provider, with its snapshot calls recorded.
  const provider = new Proxy(real, {
    get(target, property) {
      if (property === 'snapshot')
        return (app: string, options?: SnapshotOptions) => {
          asked.push(options);
          return target.snapshot(app, options);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Provider;
  const data = await new Promise<OverviewData>((resolve) => {
    const feed = overviewFeed([{ label: 'local', provider }], (first) => {
      feed.stop();
      resolve(first);
    });
  });
  expect(data.rows.map((r) => [r.app, r.version, r.status])).toEqual([['tiny', 1, 'deployed']]);
  expect(asked).toEqual([{ metrics: false }]);
});
