// The event log: append-only, read back as the last N, newest last.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeEvent, temporaryDirectory } from './fixtures.ts';

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

  it('refuses to update or delete an event (append-only)', () => {
    store.appendEvent(makeEvent('shop', 1));
    const raw = new Database(file);
    try {
      expect(() => raw.prepare("UPDATE events SET message = 'rewritten'").run()).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    expect(store.events('shop')).toEqual([makeEvent('shop', 1)]);
  });
});
