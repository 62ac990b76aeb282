// The fake's watch semantics on the wire (website api-concepts.md; apiserver watch_cache.go):
// list then watch from its resourceVersion, replay, 410 Expired in-stream and as HTTP,
// BOOKMARK on request, server-side close, selector transitions, going away and coming back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKube, startFakeKube } from './index.ts';
import { call, watch } from './raw-client.ts';

const NS = 'shop-ns';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
let fake: FakeKube;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.createDeployment({ name: 'shop', replicas: 1, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
});

afterEach(async () => {
  await fake.close();
});

async function listRv(path: string): Promise<string> {
  const list = await call(fake, path);
  expect(list.status).toBe(200);
  return (list.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

const expiredStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
  reason: 'Expired',
  code: 410,
};

describe('watches on the fake API server', () => {
  it('a watch from a list’s resourceVersion sees ADDED then MODIFIED, in resourceVersion order', async () => {
    const rv = await listRv(DEPLOYMENTS);
    const w = await watch(fake, `${DEPLOYMENTS}?watch=1&resourceVersion=${rv}`);
    expect(w.status).toBe(200);
    fake.cluster.createDeployment({ name: 'cart', replicas: 1, image: 'cart:1' });
    const first = await w.next();
    expect(first.type).toBe('ADDED');
    expect(first.object).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'cart' },
    });
    const second = await w.next();
    expect(second.type).toBe('MODIFIED');
    const rvs = [first, second].map((e) => Number(e.object.metadata?.resourceVersion));
    expect(rvs[0]).toBeGreaterThan(Number(rv));
    expect(rvs[1]).toBeGreaterThan(rvs[0]!);
    w.close();
  });

  it('replays the events after an older resourceVersion, then streams; pods by label selector only', async () => {
    const rv = await listRv(`/api/v1/namespaces/${NS}/pods`);
    fake.cluster.createDeployment({ name: 'cart', replicas: 2, image: 'cart:1' });
    await fake.cluster.rolledOut(NS, 'cart');
    const w = await watch(
      fake,
      `/api/v1/namespaces/${NS}/pods?watch=true&labelSelector=app%3Dcart&resourceVersion=${rv}`,
    );
    const added = [await w.next(), await w.next()];
    expect(added.map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
    const names = fake.cluster.pods(NS, 'cart').map((p) => p.metadata.name);
    expect(added.map((e) => e.object.metadata?.name).sort()).toEqual(names.sort());
    for (const e of w.pending()) expect(names).toContain(e.object.metadata?.name);
    w.close();
  });

  it('expireWatches: open watches get the 410 ERROR line and end; an old resourceVersion then gets HTTP 410', async () => {
    const rv = await listRv(DEPLOYMENTS);
    const w = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    fake.expireWatches();
    const error = await w.next();
    expect(error).toEqual({ type: 'ERROR', object: expiredStatus });
    expect(await w.ended).toBe('end');

    const stale = await call(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}`);
    expect(stale.status).toBe(410);
    expect(stale.json).toEqual(expiredStatus);
    const fresh = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${await listRv(DEPLOYMENTS)}`);
    expect(fresh.status).toBe(200);
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    expect((await fresh.next()).type).toBe('MODIFIED');
    fresh.close();
  });

  it('staleWatch "event": an old resourceVersion gets 200 and one ERROR line, as the watch cache answers', async () => {
    const other = await startFakeKube({ staleWatch: 'event' });
    try {
      other.expireWatches();
      other.cluster.createDeployment({ name: 'cart' });
      const w = await watch(other, '/apis/apps/v1/deployments?watch=true&resourceVersion=1');
      expect(w.status).toBe(200);
      expect(await w.next()).toEqual({ type: 'ERROR', object: expiredStatus });
      expect(await w.ended).toBe('end');
    } finally {
      await other.close();
    }
  });

  it('bookmark(): a BOOKMARK with only the resourceVersion, to the watches that allow bookmarks', async () => {
    const rv = await listRv(DEPLOYMENTS);
    const withBookmarks = await watch(
      fake,
      `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`,
    );
    const without = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}`);
    fake.bookmark();
    expect(await withBookmarks.next()).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { resourceVersion: rv } },
    });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    expect((await without.next()).type).toBe('MODIFIED');
    withBookmarks.close();
    without.close();
  });

  it('closeWatches() and timeoutSeconds end streams cleanly', async () => {
    const a = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${await listRv(DEPLOYMENTS)}`);
    fake.closeWatches();
    expect(await a.ended).toBe('end');
    const b = await watch(fake, `${DEPLOYMENTS}?watch=true&timeoutSeconds=1`);
    expect((await b.next()).type).toBe('ADDED');
    expect(await b.ended).toBe('end');
    expect(fake.openWatches()).toBe(0);
  });

  it('an object that starts or stops matching the selector arrives as ADDED or DELETED', async () => {
    const w = await watch(fake, `${DEPLOYMENTS}?watch=true&labelSelector=tier%3Dweb`);
    const patch = (labels: unknown) =>
      call(fake, `${DEPLOYMENTS}/shop`, {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels } },
      });
    expect((await patch({ tier: 'web' })).status).toBe(200);
    expect(await w.next()).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'shop' } } });
    expect((await patch({ tier: null })).status).toBe(200);
    expect(await w.next()).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'shop' } } });
    w.close();
  });

  it('goAway() drops connections and refuses new ones; comeBack() serves the same state on the same port', async () => {
    const rv = await listRv(DEPLOYMENTS);
    const w = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}`);
    await fake.goAway();
    expect(await w.ended).toBe('error');
    await expect(call(fake, DEPLOYMENTS)).rejects.toThrow(/ECONNREFUSED/);
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.comeBack();
    const after = await watch(fake, `${DEPLOYMENTS}?watch=true&resourceVersion=${rv}`);
    const event = await after.next();
    expect(event).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: 'shop' } } });
    after.close();
  });

  it('checks the bearer token (401), answers forbid rules with 403, and records every call', async () => {
    expect((await call(fake, DEPLOYMENTS, { token: 'wrong' })).json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    expect((await call(fake, DEPLOYMENTS, { token: null })).status).toBe(401);
    const lift = fake.forbid({ method: 'GET', path: /\/deployments\/shop$/, message: 'no peeking' });
    const denied = await call(fake, `${DEPLOYMENTS}/shop`);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ reason: 'Forbidden', message: 'no peeking', code: 403 });
    lift();
    expect((await call(fake, `${DEPLOYMENTS}/shop`)).status).toBe(200);
    expect(fake.calls.at(-1)).toEqual({
      method: 'GET',
      path: `${DEPLOYMENTS}/shop`,
      query: {},
      contentType: '',
      body: undefined,
    });
    expect(fake.mutations()).toEqual([]);
  });
});
