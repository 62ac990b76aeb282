// A long history lists newest first through the (app_id, number) index, never a scan or a sort.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSIONS_INDEX } from '../../../src/local/store/migrations.ts';
import { VERSIONS_NEWEST_FIRST_SQL } from '../../../src/local/store/statements.ts';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeVersion, temporaryDirectory } from './fixtures.ts';

const HISTORY = 100_000;

describe('Store: a history of 100,000 versions', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;
  let store: Store;

  beforeAll(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
    store = Store.open(file);
    // One transaction: one commit instead of 100,000.
    store.transaction(() => {
      store.saveApp(makeApp('shop'));
      store.saveApp(makeApp('blog'));
      for (let number = 1; number <= HISTORY; number++) store.saveVersion('shop', makeVersion(number));
      for (let number = 1; number <= 10; number++) store.saveVersion('blog', makeVersion(number));
    });
  });
  afterAll(() => {
    store.close();
    tmp.remove();
  });

  it('lists the newest versions first, up to the limit', () => {
    const newest = store.versions('shop', { limit: 20 });
    expect(newest.map((version) => version.number)).toEqual(
      Array.from({ length: 20 }, (_, i) => HISTORY - i),
    );
    expect(newest[0]).toEqual(makeVersion(HISTORY));
  });

  it('pages with `before`, and keeps apps apart', () => {
    expect(store.versions('shop', { limit: 3, before: 50 }).map((version) => version.number)).toEqual([
      49, 48, 47,
    ]);
    expect(store.versions('shop', { before: 3 }).map((version) => version.number)).toEqual([2, 1]);
    expect(store.versions('blog').map((version) => version.number)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(store.versions('nobody')).toEqual([]);
  });

  it('plans the listing as a search of the versions index, with no scan and no sort', () => {
    const raw = new Database(file, { readonly: true });
    try {
      const plan = raw
        .prepare<[string, number, number], { detail: string }>(
          `EXPLAIN QUERY PLAN ${VERSIONS_NEWEST_FIRST_SQL}`,
        )
        .all('shop', Number.MAX_SAFE_INTEGER, 20)
        .map((row) => row.detail)
        .join('\n');
      expect(plan).toContain(`USING INDEX ${VERSIONS_INDEX}`);
      expect(plan).toMatch(/^SEARCH versions/m);
      expect(plan).not.toMatch(/SCAN versions/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    } finally {
      raw.close();
    }
  });
});
