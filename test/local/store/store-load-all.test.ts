// Write-ahead: an app's engine state can be rebuilt from the store alone.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/engine/types.ts';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeSpec, makeVersion, temporaryDirectory } from './fixtures.ts';

describe('Store: loadAll', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('rebuilds every app with its versions ascending, exactly as saved', () => {
    const shop: Version[] = [
      makeVersion(1, { outcome: 'superseded' }),
      makeVersion(2, {
        outcome: 'failed',
        activatedAt: null,
        strategy: 'recreate',
        spec: makeSpec('sha256:2', { strategy: 'recreate', autoRollback: true, build: null, env: {} }),
        secretFingerprints: { STRIPE_KEY: null, OTHER: 'fp-x' },
      }),
      // B1: a rollback to v1 runs v1's spec and template epoch.
      makeVersion(3, {
        kind: 'rollback',
        rollbackOf: 1,
        templateEpoch: 1,
        spec: makeSpec('sha256:1'),
        specHash: 'hash-1',
        user: 'bo',
        outcome: 'active',
      }),
      makeVersion(4, { kind: 'rollover', outcome: 'rolling', activatedAt: null, secretFingerprints: {} }),
    ];
    const store = Store.open(file);
    store.saveApp(makeApp('shop', { status: 'stopped', stoppedAt: 1_700_000_100_000 }));
    store.saveApp(makeApp('shop', { id: 'shop#2', generation: 2, createdAt: 1_700_000_200_000 }));
    store.saveApp(makeApp('empty'));
    // Saved out of order: loadAll sorts by number, not by when the row was written.
    for (const version of [shop[2]!, shop[0]!, shop[3]!, shop[1]!]) store.saveVersion('shop', version);
    store.saveVersion('shop#2', makeVersion(1, { outcome: 'active' }));
    store.close();

    const reopened = Store.open(file);
    expect(reopened.loadAll()).toEqual([
      { app: makeApp('shop', { status: 'stopped', stoppedAt: 1_700_000_100_000 }), versions: shop },
      {
        app: makeApp('shop', { id: 'shop#2', generation: 2, createdAt: 1_700_000_200_000 }),
        versions: [makeVersion(1, { outcome: 'active' })],
      },
      { app: makeApp('empty'), versions: [] },
    ]);
    reopened.close();
  });

  it('returns nothing for a new database', () => {
    const store = Store.open(file);
    expect(store.loadAll()).toEqual([]);
    expect(store.apps()).toEqual([]);
    store.close();
  });
});
