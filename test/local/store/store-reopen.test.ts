// Write-ahead: what the daemon recorded is still there after it closes (or restarts).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeEvent, makeVersion, temporaryDirectory } from './fixtures.ts';

describe('Store: reopen', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'state', 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('keeps apps, versions and events after close and reopen', () => {
    const writer = Store.open(file);
    writer.saveApp(makeApp('shop'));
    writer.saveVersion('shop', makeVersion(1));
    writer.saveVersion('shop', makeVersion(2, { outcome: 'active' }));
    writer.appendEvent(makeEvent('shop', 1, { kind: 'rollout-done', version: 2 }));
    writer.appendEvent(makeEvent('shop', 2, { level: 'error', detail: 'build output\nline 2' }));
    writer.close();

    const reader = Store.open(file);
    expect(reader.apps()).toEqual([makeApp('shop')]);
    expect(reader.versions('shop')).toEqual([makeVersion(2, { outcome: 'active' }), makeVersion(1)]);
    expect(reader.events('shop')).toEqual([
      makeEvent('shop', 1, { kind: 'rollout-done', version: 2 }),
      makeEvent('shop', 2, { level: 'error', detail: 'build output\nline 2' }),
    ]);
    reader.close();
  });

  it('upserts an app by id, keeping its creation position', () => {
    const store = Store.open(file);
    store.saveApp(makeApp('shop'));
    store.saveApp(makeApp('blog'));
    // T1: stopping updates the record in place.
    store.saveApp(makeApp('shop', { status: 'stopped', stoppedAt: 5 }));
    store.saveApp(makeApp('shop', { id: 'shop#2', generation: 2 }));
    expect(store.apps().map((app) => [app.id, app.status])).toEqual([
      ['shop', 'stopped'],
      ['blog', 'deployed'],
      ['shop#2', 'deployed'],
    ]);
    store.close();
  });

  it('upserts a version by (app, number), so an outcome change replaces the row', () => {
    const store = Store.open(file);
    store.saveApp(makeApp('shop'));
    store.saveApp(makeApp('blog'));
    store.saveVersion('shop', makeVersion(1, { outcome: 'rolling', activatedAt: null }));
    store.saveVersion('blog', makeVersion(1, { outcome: 'active' }));
    store.saveVersion('shop', makeVersion(1, { outcome: 'active' }));
    expect(store.versions('shop')).toEqual([makeVersion(1, { outcome: 'active' })]);
    expect(store.versions('blog')).toEqual([makeVersion(1, { outcome: 'active' })]);
    store.close();
  });

  it('refuses a version whose app is never saved, but accepts one saved before its app in a transaction', () => {
    const store = Store.open(file);
    expect(() => store.saveVersion('ghost', makeVersion(1))).toThrow(/FOREIGN KEY/);
    store.transaction(() => {
      store.saveVersion('shop', makeVersion(1));
      store.saveApp(makeApp('shop'));
    });
    expect(store.loadAll()).toEqual([{ app: makeApp('shop'), versions: [makeVersion(1)] }]);
    store.close();
  });

  it('rolls back every write of a transaction that throws', () => {
    const store = Store.open(file);
    expect(() =>
      store.transaction(() => {
        store.saveApp(makeApp('shop'));
        store.appendEvent(makeEvent('shop', 1));
        throw new Error('effect failed');
      }),
    ).toThrow('effect failed');
    expect(store.apps()).toEqual([]);
    expect(store.events('shop')).toEqual([]);
    store.close();
  });
});
