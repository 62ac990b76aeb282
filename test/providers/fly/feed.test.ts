// When Fly's API stops answering, the feed says so at once ("reconnecting to Fly…"), backs off,
// publishes no snapshot until a read succeeds (stale numbers are never shown as live), and
// recovers by itself; the watch screen shows the same.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedState, Provider } from '../../../src/engine/provider.ts';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { openFly } from '../../../src/providers/fly/index.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import { spawnTerminal, type Terminal } from '../../helpers/terminal.ts';
import { BIN, waitFor } from '../../local/platform/cli.ts';

let fly: FlySandbox;
let provider: Provider | null = null;
let term: Terminal | null = null;
beforeEach(async () => {
  fly = await FlySandbox.start();
  fly.api.createApp('shop', 'acme');
  await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }));
});
afterEach(async () => {
  provider?.close();
  term?.dispose();
  await fly.cleanup();
});

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('losing Fly and getting it back', { timeout: 180_000 }, () => {
  it('says reconnecting at once, backs off, shows nothing stale as live, and recovers', async () => {
    provider = await openFly({
      env: fly.env(),
      stateDir: join(fly.home, 'fly'),
      name: null,
      timing: { pollMs: 200, timeoutMs: 600, maxBackoffMs: 800 },
    });
    const seen: ({ snapshot: Snapshot } | { feed: FeedState })[] = [];
    const stop = provider.watch('shop', {
      snapshot: (snapshot) => seen.push({ snapshot }),
      error: (error) => {
        throw error;
      },
      feed: (feed) => seen.push({ feed }),
    });
    try {
      await waitFor('a first snapshot', () => seen.some((e) => 'snapshot' in e));
      fly.api.stall();
      const lost = await waitFor('the feed going down', () => seen.find((e) => 'feed' in e && !e.feed.live));
      const down = seen.indexOf(lost);
      expect((lost as { feed: FeedState }).feed).toMatchObject({
        live: false,
        message: 'reconnecting to Fly… (Fly did not answer within 0.6s; attempt 1)',
      });
      await waitFor('more attempts', () =>
        seen.some((e) => 'feed' in e && !e.feed.live && e.feed.message.includes('attempt 3')),
      );
      // While down: only feed news, never a snapshot.
      expect(seen.slice(down).every((e) => 'feed' in e)).toBe(true);
      fly.api.resume();
      await waitFor('the feed back', () => seen.slice(down).some((e) => 'feed' in e && e.feed.live));
      const back = await waitFor('a fresh snapshot', () =>
        seen.slice(down).find((e): e is { snapshot: Snapshot } => 'snapshot' in e),
      );
      expect(back.snapshot.events.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['feed-lost', 'feed-restored']),
      );
      expect(back.snapshot.containers.every((c) => c.state === 'ready')).toBe(true);
    } finally {
      stop();
    }
  });

  it('the watch screen says so while Fly does not answer, and clears it when it does', async () => {
    term = spawnTerminal({
      file: process.execPath,
      args: [BIN, 'watch', 'shop', '--platform', 'fly'],
      cols: 120,
      rows: 30,
      cwd: fly.home,
      env: { ...fly.env(), CUTOVER_HOME: fly.home },
    });
    await term.waitFor('shop · fly · v1 · steady');
    fly.api.stall();
    await term.waitFor(
      /STALE data from \d+s ago · reconnecting to Fly… \(Fly did not answer within 8s; attempt \d+\)/,
      { timeoutMs: 20_000 },
    );
    fly.api.resume();
    await waitFor('the message gone', () => !term!.screen().includes('reconnecting to Fly'), {
      timeoutMs: 20_000,
    });
    expect(term.screen()).toContain('shop · fly · v1 · steady');
  });
});
