// One poll loop per app, shared by every subscriber; when Modal cannot be reached the feed says
// so (live: false, since when) and keeps trying; the first good look says live again. An unknown
// app ends the feed at once. In process, through openModal, against the fake `modal`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { FeedState, Provider } from '../../../src/engine/provider.ts';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { openModal } from '../../../src/providers/modal/index.ts';
import { type FakeModal, startFakeModal } from '../../fakes/modal/fake-modal.ts';
import { shopWorld } from '../../fakes/modal/scenarios.ts';
import { waitFor } from '../../local/platform/cli.ts';

let fake: FakeModal | null = null;
let provider: Provider | null = null;
let home = '';
afterEach(() => {
  provider?.close();
  fake?.dispose();
  if (home) rmSync(home, { recursive: true, force: true });
  provider = null;
  fake = null;
  home = '';
});

async function open(): Promise<{ fake: FakeModal; provider: Provider }> {
  fake = startFakeModal(shopWorld());
  home = mkdtempSync(join(tmpdir(), 'cutover-modal-feed-'));
  provider = await openModal({
    env: { ...process.env, ...fake.env },
    stateDir: join(home, 'modal'),
    name: null,
  });
  return { fake, provider };
}

const historyCalls = (f: FakeModal) => f.calls().filter((c) => c[0] === 'app' && c[1] === 'history').length;

test('two subscribers share one poll loop: Modal is asked once per look, both see every snapshot', async () => {
  const { fake: f, provider: p } = await open();
  const a: Snapshot[] = [];
  const b: Snapshot[] = [];
  const stopA = p.watch('shop', { snapshot: (s) => a.push(s), error: (e) => a.push(e as never) });
  const stopB = p.watch('shop', { snapshot: (s) => b.push(s), error: (e) => b.push(e as never) });
  await waitFor('three looks', () => a.length >= 3, { timeoutMs: 60_000 });
  stopA();
  stopB();
  expect(b.slice(0, 3).map((s) => s.at)).toEqual(a.slice(0, 3).map((s) => s.at));
  // Each look reads the history once, whoever is subscribed.
  expect(historyCalls(f)).toBeLessThanOrEqual(a.length + 1);
  // M1: each look adds one sample to the chart's series.
  expect(a[2]!.metrics.length).toBe(3);
  const looks = historyCalls(f);
  await new Promise((r) => setTimeout(r, 4500));
  expect(historyCalls(f)).toBe(looks);
});

test('Modal unreachable: live false with the reason and since when, retried; back: live true and snapshots again', async () => {
  const { fake: f, provider: p } = await open();
  const feed: FeedState[] = [];
  const snapshots: Snapshot[] = [];
  const errors: Error[] = [];
  const stop = p.watch('shop', {
    snapshot: (s) => snapshots.push(s),
    error: (e) => errors.push(e),
    feed: (s) => feed.push(s),
  });
  await waitFor('a first snapshot', () => snapshots.length >= 1, { timeoutMs: 60_000 });
  const lastGood = snapshots.at(-1)!.at;
  f.change((w) => {
    w.outage = true;
  });
  const lost = await waitFor('the feed to say it is lost', () => feed.find((s) => !s.live), {
    timeoutMs: 60_000,
  });
  expect(lost).toMatchObject({
    live: false,
    message: expect.stringMatching(/Could not connect to the Modal server\..*attempt 1/),
  });
  if (!lost.live) expect(lost.since).toBeGreaterThanOrEqual(lastGood);
  const during = snapshots.length;
  f.change((w) => {
    w.outage = false;
  });
  await waitFor('live again', () => feed.at(-1)?.live === true, { timeoutMs: 60_000 });
  await waitFor('a snapshot after the outage', () => snapshots.length > during, { timeoutMs: 60_000 });
  stop();
  expect(errors).toEqual([]);
});

test('an unknown app ends the feed with not-found: retrying cannot help', async () => {
  const { provider: p } = await open();
  const error = await new Promise<Error>((resolve) => {
    p.watch('nope', { snapshot: () => undefined, error: resolve });
  });
  expect(error).toMatchObject({
    code: 'not-found',
    message: expect.stringMatching(/no deployed app named nope/),
  });
});
