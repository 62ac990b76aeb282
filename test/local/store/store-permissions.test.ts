// The state directory and database are owner-only whatever the umask.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeEvent, temporaryDirectory } from './fixtures.ts';

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('Store: permissions', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let previousUmask: number;

  beforeEach(() => {
    tmp = temporaryDirectory();
    previousUmask = process.umask(0o000); // as permissive as it gets
  });
  afterEach(() => {
    process.umask(previousUmask);
    tmp.remove();
  });

  it('creates a missing directory 0700 and the database, -wal and -shm files 0600', () => {
    const dir = path.join(tmp.dir, 'state');
    const file = path.join(dir, 'cutover.db');
    const store = Store.open(file);
    store.saveApp(makeApp('shop'));
    store.appendEvent(makeEvent('shop', 1));

    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(fs.existsSync(`${file}-shm`)).toBe(true);
    expect(mode(`${file}-shm`)).toBe(0o600);
    store.close();
  });

  it('narrows an existing directory and database file that are too open', () => {
    const dir = path.join(tmp.dir, 'state');
    const file = path.join(dir, 'cutover.db');
    Store.open(file).close();
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(file, 0o666);

    const store = Store.open(file);
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    store.close();
  });
});
