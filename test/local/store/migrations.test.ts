// The schema is versioned by PRAGMA user_version: each migration runs once, in order.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, type Migration, migrate } from '../../../src/local/store/migrations.ts';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, temporaryDirectory } from './fixtures.ts';

function userVersion(file: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.pragma('user_version', { simple: true }) as number;
  } finally {
    raw.close();
  }
}

describe('migrations', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('sets user_version to the number of migrations', () => {
    Store.open(file).close();
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(userVersion(file)).toBe(MIGRATIONS.length);
  });

  it('does not re-run migrations when opening a database at the latest version', () => {
    const first = Store.open(file);
    first.saveApp(makeApp('shop'));
    first.close();

    // Reopening works (the initial migration has no IF NOT EXISTS, so a re-run would throw) and
    // the data is untouched.
    const second = Store.open(file);
    expect(second.apps()).toEqual([makeApp('shop')]);
    second.close();

    const raw = new Database(file);
    try {
      expect(migrate(raw)).toBe(0);
      expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      raw.close();
    }
  });

  it('runs only the migrations a database has not seen, in order', () => {
    const ran: string[] = [];
    const step = (name: string): Migration => ({
      name,
      up: (db) => {
        ran.push(name);
        db.exec(`CREATE TABLE ${name} (x INTEGER)`);
      },
    });
    const raw = new Database(file);
    try {
      expect(migrate(raw, [step('a'), step('b')])).toBe(2);
      expect(migrate(raw, [step('a'), step('b')])).toBe(0);
      expect(migrate(raw, [step('a'), step('b'), step('c')])).toBe(1);
      expect(ran).toEqual(['a', 'b', 'c']);
      expect(raw.pragma('user_version', { simple: true })).toBe(3);
    } finally {
      raw.close();
    }
  });

  it('leaves user_version unchanged when a migration fails', () => {
    const raw = new Database(file);
    try {
      const broken: Migration = {
        name: 'broken',
        up: (db) => {
          db.exec('CREATE TABLE half (x INTEGER)');
          throw new Error('broken migration');
        },
      };
      expect(() => migrate(raw, [broken])).toThrow('broken migration');
      expect(raw.pragma('user_version', { simple: true })).toBe(0);
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('refuses a database written by a newer cutover', () => {
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => Store.open(file)).toThrow(/newer than this cutover knows/);
  });
});
