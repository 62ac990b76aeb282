// WAL: the CLI reads the daemon's database while the daemon writes.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeEvent, temporaryDirectory } from './fixtures.ts';

describe('Store: a concurrent reader', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('uses WAL journal mode', () => {
    Store.open(file).close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('sees committed data, and an open read does not block the writer', () => {
    const writer = Store.open(file);
    const reader = new Database(file, { readonly: true });
    const countEvents = reader
      .prepare<[], number>("SELECT count(*) FROM events WHERE app_id = 'shop'")
      .pluck();
    try {
      writer.saveApp(makeApp('shop'));
      writer.appendEvent(makeEvent('shop', 1));
      expect(countEvents.get()).toBe(1);
      expect(reader.prepare('SELECT id FROM apps').pluck().all()).toEqual(['shop']);

      // The reader holds a read transaction open (a long listing in the CLI). With a rollback
      // journal the writer's commit would need an exclusive lock and fail with SQLITE_BUSY;
      // with WAL it commits, and the reader keeps its consistent snapshot.
      reader.exec('BEGIN');
      expect(countEvents.get()).toBe(1);
      writer.appendEvent(makeEvent('shop', 2));
      writer.transaction(() => {
        writer.appendEvent(makeEvent('shop', 3));
        expect(countEvents.get()).toBe(1);
      });
      expect(countEvents.get()).toBe(1);
      reader.exec('COMMIT');
      expect(countEvents.get()).toBe(3);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('a second Store on the same file sees what the first one wrote', () => {
    const daemon = Store.open(file);
    const cli = Store.open(file);
    try {
      daemon.saveApp(makeApp('shop'));
      daemon.appendEvent(makeEvent('shop', 1));
      expect(cli.apps()).toEqual([makeApp('shop')]);
      expect(cli.events('shop')).toEqual([makeEvent('shop', 1)]);
    } finally {
      cli.close();
      daemon.close();
    }
  });
});
