// The event log: events are never rewritten, read back as the last N, newest last, and kept
// within a retention (M1).
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeEvent, makeSample, temporaryDirectory } from './fixtures.ts';

describe('Store: events', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;
  let store: Store;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
    store = Store.open(file);
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('returns the last `limit` events of one app, newest last, default 50', () => {
    for (let at = 1; at <= 60; at++) {
      store.appendEvent(makeEvent('shop', at));
      store.appendEvent(makeEvent('blog', at));
    }
    const last = store.events('shop');
    expect(last.map((event) => event.at)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(last.every((event) => event.appId === 'shop')).toBe(true);
    expect(store.events('shop', { limit: 3 }).map((event) => event.at)).toEqual([58, 59, 60]);
  });

  it('keeps insertion order for events with the same timestamp', () => {
    store.appendEvent(makeEvent('shop', 7, { kind: 'first' }));
    store.appendEvent(makeEvent('shop', 7, { kind: 'second' }));
    store.appendEvent(makeEvent('shop', 7, { kind: 'third' }));
    expect(store.events('shop').map((event) => event.kind)).toEqual(['first', 'second', 'third']);
  });

  it('returns optional fields only when they were saved', () => {
    store.appendEvent(makeEvent('shop', 1));
    store.appendEvent(makeEvent('shop', 2, { version: 0, container: 'shop-web-1', detail: '' }));
    const [plain, full] = store.events('shop');
    expect(Object.keys(plain!).sort()).toEqual(['appId', 'at', 'kind', 'level', 'message']);
    expect(full).toEqual(makeEvent('shop', 2, { version: 0, container: 'shop-web-1', detail: '' }));
  });

  it('refuses to update an event (append-only)', () => {
    store.appendEvent(makeEvent('shop', 1));
    const raw = new Database(file);
    try {
      expect(() => raw.prepare("UPDATE events SET message = 'rewritten'").run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(store.events('shop')).toEqual([makeEvent('shop', 1)]);
  });

  it('M1 retention: events past the age or the count per app go, and samples past their retention', () => {
    for (let at = 1; at <= 30; at++) {
      store.appendEvent(makeEvent('shop', at * 1000));
      store.appendEvent(makeEvent('blog', at * 1000));
    }
    store.applyRetention(31_000, { maxAgeMs: 25_000, maxPerApp: 20 });
    // shop and blog alike: at most 20 each, none older than 6 s.
    expect(store.events('shop', { limit: 100 }).map((e) => e.at / 1000)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 11),
    );
    expect(store.events('blog', { limit: 100 })).toHaveLength(20);
    store.applyRetention(40_000, { maxAgeMs: 15_000, maxPerApp: 20 });
    expect(store.events('shop', { limit: 100 }).map((e) => e.at / 1000)).toEqual([25, 26, 27, 28, 29, 30]);

    // A stopped app's samples are never saved again, so never trimmed on save: retention trims them.
    store.saveMetrics(makeSample('stopped', 1_000));
    store.saveMetrics(makeSample('stopped', 3_000_000));
    store.applyRetention(3_602_000);
    expect(store.metrics('stopped', 0).map((m) => m.at)).toEqual([3_000_000]);
  });
});
