// M1: per-second samples, kept for a bounded time per app.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeSample, temporaryDirectory } from './fixtures.ts';

describe('Store: metrics', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('returns samples since a time, oldest first, exactly as saved', () => {
    const store = Store.open(file);
    for (let second = 0; second < 5; second++) store.saveMetrics(makeSample('shop', second * 1000));
    store.saveMetrics(makeSample('blog', 2000, { p99: 99.5, containers: {} }));
    expect(store.metrics('shop', 2000)).toEqual([
      makeSample('shop', 2000),
      makeSample('shop', 3000),
      makeSample('shop', 4000),
    ]);
    expect(store.metrics('blog', 0)).toEqual([makeSample('blog', 2000, { p99: 99.5, containers: {} })]);
    store.close();
  });

  it('drops samples older than the retention once newer samples arrive (M1)', () => {
    const store = Store.open(file, { metricsRetentionSeconds: 10 });
    for (let second = 0; second < 10; second++) store.saveMetrics(makeSample('shop', second * 1000));
    store.saveMetrics(makeSample('blog', 0));
    expect(store.metrics('shop', 0)).toHaveLength(10);

    // At t=25s the window is [15s, 25s]: everything saved so far for shop has aged out.
    store.saveMetrics(makeSample('shop', 25_000));
    expect(store.metrics('shop', 0).map((sample) => sample.at)).toEqual([25_000]);
    store.saveMetrics(makeSample('shop', 30_000));
    store.saveMetrics(makeSample('shop', 36_000));
    expect(store.metrics('shop', 0).map((sample) => sample.at)).toEqual([30_000, 36_000]);
    // Retention is per app: blog's sample waits for blog's next one.
    expect(store.metrics('blog', 0)).toHaveLength(1);
    store.close();
  });

  it('defaults to an hour of retention', () => {
    const store = Store.open(file);
    store.saveMetrics(makeSample('shop', 0));
    store.saveMetrics(makeSample('shop', 3_600_000));
    expect(store.metrics('shop', 0).map((sample) => sample.at)).toEqual([0, 3_600_000]);
    store.saveMetrics(makeSample('shop', 3_600_001));
    expect(store.metrics('shop', 0).map((sample) => sample.at)).toEqual([3_600_000, 3_600_001]);
    store.close();
  });

  it('replaces a second sample for the same app and time', () => {
    const store = Store.open(file);
    store.saveMetrics(makeSample('shop', 1000));
    store.saveMetrics(makeSample('shop', 1000, { queued: 9 }));
    expect(store.metrics('shop', 0)).toEqual([makeSample('shop', 1000, { queued: 9 })]);
    store.close();
  });
});
