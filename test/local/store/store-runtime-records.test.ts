// Images, containers and counters: what the local runtime needs after a daemon restart.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/local/store/store.ts';
import { makeApp, makeSpec, makeVersion, temporaryDirectory } from './fixtures.ts';

describe('Store: images, containers, counters', () => {
  let tmp: ReturnType<typeof temporaryDirectory>;
  let file: string;

  beforeEach(() => {
    tmp = temporaryDirectory();
    file = path.join(tmp.dir, 'cutover.db');
  });
  afterEach(() => tmp.remove());

  it('saves, lists (oldest first), upserts and deletes images', () => {
    const store = Store.open(file);
    store.saveImage({ ref: 'sha256:b', path: '/s/b', createdAt: 2, sizeBytes: 20 });
    store.saveImage({ ref: 'sha256:a', path: '/s/a', createdAt: 1, sizeBytes: 10 });
    store.saveImage({ ref: 'sha256:b', path: '/s/b2', createdAt: 2, sizeBytes: 21 });
    expect(store.images()).toEqual([
      { ref: 'sha256:a', path: '/s/a', createdAt: 1, sizeBytes: 10 },
      { ref: 'sha256:b', path: '/s/b2', createdAt: 2, sizeBytes: 21 },
    ]);
    store.deleteImage('sha256:a');
    expect(store.images().map((image) => image.ref)).toEqual(['sha256:b']);
    store.close();
  });

  it('lists the image refs versions use (B1: rollback targets keep their image)', () => {
    const store = Store.open(file);
    store.saveApp(makeApp('shop'));
    store.saveVersion('shop', makeVersion(1, { spec: makeSpec('sha256:a') }));
    store.saveVersion('shop', makeVersion(2, { spec: makeSpec('sha256:b') }));
    store.saveVersion(
      'shop',
      makeVersion(3, { spec: makeSpec('sha256:a'), kind: 'rollback', rollbackOf: 1 }),
    );
    expect(store.imageRefsInUse()).toEqual(new Set(['sha256:a', 'sha256:b']));

    // A stopped app's images are kept for a while after it stopped, then let go (T1: never started again).
    store.saveApp(makeApp('blog', { status: 'stopped', stoppedAt: 5_000 }));
    store.saveVersion('blog', makeVersion(1, { spec: makeSpec('sha256:c') }));
    expect(store.imageRefsInUse(4_000)).toEqual(new Set(['sha256:a', 'sha256:b', 'sha256:c']));
    expect(store.imageRefsInUse(6_000)).toEqual(new Set(['sha256:a', 'sha256:b']));
    store.close();
  });

  it('finds containers not marked exited after a restart, with their pids', () => {
    const store = Store.open(file);
    // Write-ahead: saved before the process is spawned, then again with its pid.
    store.saveContainer({
      id: 'shop-web-1',
      appId: 'shop',
      function: 'web',
      version: 1,
      pid: null,
      startedAt: 10,
    });
    store.saveContainer({
      id: 'shop-web-1',
      appId: 'shop',
      function: 'web',
      version: 1,
      pid: 4242,
      startedAt: 10,
    });
    store.saveContainer({
      id: 'shop-web-2',
      appId: 'shop',
      function: 'web',
      version: 1,
      pid: 4243,
      startedAt: 11,
    });
    store.saveContainer({
      id: 'blog-web-3',
      appId: 'blog',
      function: 'web',
      version: 2,
      pid: null,
      startedAt: 12,
    });
    store.containerExited('shop-web-2', 20);
    store.close();

    const restarted = Store.open(file);
    expect(restarted.liveContainers()).toEqual([
      {
        id: 'shop-web-1',
        appId: 'shop',
        function: 'web',
        version: 1,
        pid: 4242,
        startedAt: 10,
        startTicks: null,
        port: null,
      },
      {
        id: 'blog-web-3',
        appId: 'blog',
        function: 'web',
        version: 2,
        pid: null,
        startedAt: 12,
        startTicks: null,
        port: null,
      },
    ]);
    // A later save of an exited container does not bring it back to life.
    restarted.saveContainer({
      id: 'shop-web-2',
      appId: 'shop',
      function: 'web',
      version: 1,
      pid: 4243,
      startedAt: 11,
    });
    restarted.containerExited('shop-web-1', 30);
    restarted.containerExited('blog-web-3', 31);
    expect(restarted.liveContainers()).toEqual([]);
    restarted.close();
  });

  it('counts persistently, per name, from 1', () => {
    const store = Store.open(file);
    expect([store.nextSequence('container'), store.nextSequence('container')]).toEqual([1, 2]);
    expect(store.nextSequence('build')).toBe(1);
    store.close();

    const reopened = Store.open(file);
    expect(reopened.nextSequence('container')).toBe(3);
    reopened.close();
  });
});
