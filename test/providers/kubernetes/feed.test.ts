// The Kubernetes provider's live feed against the fake API server: one list-then-watch per kind,
// recovered after 410 Gone, a server-side close and the server going away, with no lost update
// and the connection's loss said at once.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FeedState, Provider } from '../../../src/engine/provider.ts';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { openKubernetes } from '../../../src/providers/kubernetes/index.ts';
import { type FakeKube, startFakeKube } from '../../fakes/kubernetes/index.ts';

const NS = 'shop-ns';
let fake: FakeKube;
let provider: Provider;
let stop: () => void = () => undefined;

beforeEach(async () => {
  fake = await startFakeKube();
  fake.cluster.createDeployment({ name: 'shop', replicas: 2, image: 'shop:1' });
  await fake.cluster.rolledOut(NS, 'shop');
  provider = await openKubernetes({
    env: { KUBECONFIG: fake.kubeconfig },
    stateDir: '/nonexistent',
    name: null,
    timing: { backoffMs: 50, maxBackoffMs: 400 },
  });
});
afterEach(async () => {
  stop();
  provider.close();
  await fake.close();
});

/** Subscribes and lets a test wait for a snapshot or a feed state that matches. */
function subscribe(app = 'shop') {
  const snapshots: Snapshot[] = [];
  const feeds: FeedState[] = [];
  const errors: Error[] = [];
  let wake: (() => void) | null = null;
  stop = provider.watch(app, {
    snapshot: (s) => {
      snapshots.push(s);
      wake?.();
    },
    error: (e) => {
      errors.push(e);
      wake?.();
    },
    feed: (f) => {
      feeds.push(f);
      wake?.();
    },
  });
  const until = async (ok: () => boolean, what: string, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(snapshots.at(-1)?.rollout)}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };
  return { snapshots, feeds, errors, until, last: () => snapshots.at(-1) };
}

describe('the Deployment feed', () => {
  test('S1: a rolling update watched from start to end: old and new pods by state, then v2 active', async () => {
    fake.cluster.kubelet.behave('shop:2', { readyAfterMs: 400 });
    const feed = subscribe();
    await feed.until(() => feed.last()?.version === 1, 'v1');
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await feed.until(() => feed.last()?.version === 2 && feed.last()?.rollout === null, 'v2 active');
    // kubectl counts the rollout done while old pods still terminate; then they are gone.
    await feed.until(() => feed.last()?.containers.every((c) => c.version === 2) === true, 'old pods gone');
    const seen = feed.snapshots;
    // Somewhere in between both versions had pods, the new one starting while the old was ready.
    expect(
      seen.some(
        (s) =>
          s.rollout?.to === 2 &&
          s.containers.some((c) => c.version === 1 && c.state === 'ready') &&
          s.containers.some((c) => c.version === 2 && c.state === 'starting'),
      ),
    ).toBe(true);
    expect(seen.some((s) => s.containers.some((c) => c.version === 1 && c.state === 'draining'))).toBe(true);
    expect(feed.last()?.containers.every((c) => c.version === 2)).toBe(true);
    expect(feed.last()?.history.map((v) => [v.version, v.outcome])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    expect(feed.last()?.events.map((e) => e.kind)).toContain('rollout-done');
    // One watch per kind, however many subscribers there are.
    expect(fake.openWatches()).toBe(3);
  });

  test('a watch cut by 410 Gone lists again; a watch the server closes resumes; no update is lost', async () => {
    const feed = subscribe();
    await feed.until(() => feed.last()?.version === 1 && fake.openWatches() === 3, 'v1, watched');
    const lists = () =>
      fake.calls.filter(
        (c) => c.method === 'GET' && c.path.endsWith('/deployments') && c.query.watch === undefined,
      ).length;
    const listsBefore = lists();
    fake.expireWatches();
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await feed.until(() => feed.last()?.version === 2 && feed.last()?.rollout === null, 'v2 after 410');
    // Every kind lists again after the 410 (the deployment's list may still be on its way).
    await feed.until(() => lists() > listsBefore, 'a new list of the Deployment');
    fake.closeWatches();
    fake.cluster.setImage(NS, 'shop', 'shop:3');
    await feed.until(
      () => feed.last()?.version === 3 && feed.last()?.rollout === null,
      'v3 after the server closed the watch',
    );
    expect(feed.errors).toEqual([]);
  });

  test('the API server going away: the feed says so at once, then recovers by itself', async () => {
    const feed = subscribe();
    await feed.until(() => feed.last()?.version === 1 && fake.openWatches() === 3, 'v1, watched');
    await fake.goAway();
    await feed.until(() => feed.feeds.some((f) => !f.live), 'the feed to say it is lost');
    const lost = feed.feeds.find((f) => !f.live);
    expect(lost).toMatchObject({ live: false, message: expect.stringMatching(/^reconnecting to fake… /) });
    fake.cluster.setImage(NS, 'shop', 'shop:2');
    await fake.comeBack();
    await feed.until(() => feed.feeds.at(-1)?.live === true, 'the feed to come back');
    await feed.until(
      () => feed.last()?.version === 2 && feed.last()?.rollout === null,
      'the change made while it was away',
    );
    // The screen's event log tells the story.
    const kinds = () => feed.last()?.events.map((e) => e.kind) ?? [];
    await feed.until(() => kinds().includes('feed-restored'), `feed-restored among ${kinds().join(', ')}`);
    expect(kinds()).toContain('feed-lost');
  });

  test('a Deployment deleted while watched ends the feed with an error naming it', async () => {
    const feed = subscribe();
    await feed.until(() => feed.last()?.version === 1, 'v1');
    fake.cluster.store.delete('deployments', NS, 'shop');
    await feed.until(() => feed.errors.length > 0, 'an error');
    expect(feed.errors[0]?.message).toContain('deployment "shop" has been deleted');
  });
});
