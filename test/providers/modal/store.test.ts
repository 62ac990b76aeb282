// What cutover records about Modal apps is the owner's alone (0700/0600) and no symlink in the
// state directory is followed; the records survive a new process (they are files).
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ModalStore } from '../../../src/providers/modal/store.ts';

let home = '';
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cutover-modal-store-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (path: string) => lstatSync(path).mode & 0o777;

describe('the Modal store', () => {
  test('directories 0700, files 0600, whatever the umask', () => {
    const old = process.umask(0o022);
    try {
      const store = new ModalStore(join(home, 'modal'), 'prod');
      store.recordCommand('shop', {
        id: 'a',
        phase: 'started',
        kind: 'rollback',
        strategy: 'recreate',
        user: 'alice',
        rollbackOf: 2,
        at: 1,
      });
      store.appendEvent('shop', { at: 2, appId: 'ap-1', level: 'info', kind: 'modal-output', message: 'hi' });
      store.saveFunctions('shop', { names: ['web'], urls: {} });
      for (const dir of ['modal', 'modal/prod', 'modal/prod/app-shop'])
        expect(mode(join(home, dir))).toBe(0o700);
      for (const file of ['commands.ndjson', 'events.ndjson', 'functions.json']) {
        expect(mode(join(home, 'modal/prod/app-shop', file))).toBe(0o600);
      }
    } finally {
      process.umask(old);
    }
  });

  test('commands are read back with their end, by another store (another process) too', () => {
    const store = new ModalStore(join(home, 'modal'), undefined);
    store.recordCommand('shop', {
      id: 'a',
      phase: 'started',
      kind: 'rollback',
      strategy: 'recreate',
      user: 'alice',
      rollbackOf: 2,
      at: 10,
    });
    store.recordCommand('shop', {
      id: 'b',
      phase: 'started',
      kind: 'rollover',
      strategy: 'rolling',
      user: 'bob',
      rollbackOf: null,
      at: 20,
    });
    store.recordCommand('shop', {
      id: 'a',
      phase: 'finished',
      kind: 'rollback',
      strategy: 'recreate',
      user: 'alice',
      rollbackOf: 2,
      at: 15,
      version: 7,
      ok: true,
    });
    expect(new ModalStore(join(home, 'modal'), undefined).commands('shop')).toEqual([
      {
        id: 'a',
        kind: 'rollback',
        strategy: 'recreate',
        user: 'alice',
        rollbackOf: 2,
        startedAt: 10,
        finished: { at: 15, version: 7, ok: true },
      },
      {
        id: 'b',
        kind: 'rollover',
        strategy: 'rolling',
        user: 'bob',
        rollbackOf: null,
        startedAt: 20,
        finished: null,
      },
    ]);
    // Each environment keeps its own records.
    expect(new ModalStore(join(home, 'modal'), 'prod').commands('shop')).toEqual([]);
  });

  test('the event log is bounded: past its size only the newest lines stay', () => {
    const store = new ModalStore(join(home, 'modal'), undefined);
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 400; i++)
      store.appendEvent('shop', { at: i, appId: 'ap-1', level: 'info', kind: 'modal-output', message: line });
    const size = readFileSync(join(home, 'modal/_default/app-shop/events.ndjson')).length;
    expect(size).toBeLessThanOrEqual(256 * 1024 + 1100);
    const events = store.events('shop', 1000);
    expect(events.at(-1)?.at).toBe(399);
    expect(events.length).toBeLessThan(400);
  });

  test('a symlink in place of a record file or directory is refused, and its target untouched', () => {
    const outside = join(home, 'outside.txt');
    writeFileSync(outside, 'precious\n');
    const store = new ModalStore(join(home, 'modal'), undefined);
    store.saveFunctions('shop', { names: ['web'], urls: {} });
    symlinkSync(outside, join(home, 'modal/_default/app-shop/events.ndjson'));
    expect(() =>
      store.appendEvent('shop', { at: 1, appId: 'a', level: 'info', kind: 'k', message: 'm' }),
    ).toThrow(/symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');

    mkdirSync(join(home, 'elsewhere'));
    symlinkSync(join(home, 'elsewhere'), join(home, 'modal/_default/app-evil'));
    expect(() => store.commands('evil')).toThrow(/symbolic link/);
  });
});
