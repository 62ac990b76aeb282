// Issue 13, defect 8: the watch feed and the client. A watcher that does not read costs the
// daemon one snapshot, not a growing queue; only an app that changed is sent; a failed build's
// output stays in its event; the client fails a request on a closed connection instead of
// hanging, and a watch reconnects when the daemon comes back. A real daemon (runtime, socket,
// client) in this process, with real apps.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { DaemonClient } from '../../../src/local/daemon/client.ts';
import { LocalRuntime } from '../../../src/local/daemon/local-runtime.ts';
import {
  type AppendedMetrics,
  metricsDecoder,
  type WatchedSnapshot,
} from '../../../src/local/daemon/metric-window.ts';
import { type DaemonServer, serve } from '../../../src/local/daemon/server.ts';
import { type StatePaths, statePaths } from '../../../src/local/paths.ts';
import { startLoad } from '../platform/load.ts';

const TINY = new URL('../../helpers/fixtures/tiny-app', import.meta.url);

interface Daemon {
  home: string;
  paths: StatePaths;
  runtime: LocalRuntime;
  server: DaemonServer;
  client: DaemonClient;
  /** Copies the tiny app as APP (with extra manifest lines) and deploys it; returns its URL. */
  deploy(app: string, extra?: string[]): Promise<string>;
  /** Closes the socket's connections and serves again on a new listening socket (a restart). */
  reserve(): Promise<void>;
}

let daemon: Daemon | null = null;
afterEach(async () => {
  if (!daemon) return;
  daemon.client.close();
  daemon.server.close();
  await daemon.runtime.close();
  rmSync(daemon.home, { recursive: true, force: true });
  daemon = null;
});

async function startDaemon(): Promise<Daemon> {
  const home = mkdtempSync(join(tmpdir(), 'cutover-feed-'));
  const paths = statePaths(home);
  const runtime = await LocalRuntime.start({ paths, env: process.env });
  const d: Daemon = {
    home,
    paths,
    runtime,
    server: await serve(runtime, paths.socket, () => undefined),
    client: await DaemonClient.connect(paths, { start: false, entry: '', env: process.env }),
    async deploy(app, extra = []) {
      const dir = join(home, `app-${app}`);
      cpSync(TINY, dir, { recursive: true });
      const manifest = readFileSync(join(dir, 'cutover.toml'), 'utf8').replace(
        'app = "tiny"',
        `app = "${app}"`,
      );
      writeFileSync(join(dir, 'cutover.toml'), [manifest, ...extra].join('\n'));
      const reply = await d.client.request('deploy', { dir, user: 'ana' });
      if (!reply.ok) return '';
      for (;;) {
        const s = await d.client.request('snapshot', { app });
        if (s.rollout === null && s.containers.some((c) => c.state === 'ready')) return s.functions[0]!.url!;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async reserve() {
      d.server.close();
      rmSync(paths.socket, { force: true });
      d.server = await serve(runtime, paths.socket, () => undefined);
    },
  };
  return d;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A watch on a connection of its own, its responses' results as they arrived. */
function rawWatch(socketPath: string, params: Record<string, string>) {
  const socket = connect(socketPath);
  const lines: WatchedSnapshot[] = [];
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk.toString('utf8');
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      lines.push(JSON.parse(text.slice(0, nl)).result);
      text = text.slice(nl + 1);
    }
  });
  socket.write(`${JSON.stringify({ id: 1, method: 'watch', params })}\n`);
  return { lines, close: () => socket.destroy() };
}

describe('the watch feed', () => {
  it('a watcher that stops reading costs the daemon one snapshot, and gets the newest when it reads again', async () => {
    daemon = await startDaemon();
    const url = await daemon.deploy('tiny');
    // Snapshots of a few tens of KB (50 recent events with long messages), so that what a
    // stalled reader leaves unread outgrows what the kernel's socket buffer absorbs (~200 KB).
    const dir = join(daemon.home, 'app-tiny');
    for (let i = 0; i < 50; i++)
      await daemon.client.request('deploy', { dir, user: `${'operator '.repeat(100)}${i}` });
    const first = JSON.stringify(await daemon.client.request('snapshot', { app: 'tiny' })).length;
    expect(first).toBeGreaterThan(30_000);

    // A watcher that reads nothing (a suspended `watch`, a stuck pipe).
    const stalled = connect(daemon.paths.socket);
    await new Promise((r) => stalled.once('connect', r));
    stalled.pause();
    stalled.write(`${JSON.stringify({ id: 7, method: 'watch', params: { app: 'tiny' } })}\n`);
    // The app changes all the time: every request is an input, pushed to watchers 4 times a second.
    const load = startLoad(url, { rate: 200, concurrency: 4, durationMs: 8_000 });
    await load.done;
    const status = await daemon.client.request('daemon.status', {});
    console.log(`stalled watcher: ${status.bufferedBytes} bytes held by the daemon (a snapshot: ${first})`);
    expect(status.bufferedBytes).toBeLessThan(3 * first + 64 * 1024);

    // Reading again, it is brought up to date: the last line it gets is the current state.
    const lines: Snapshot[] = [];
    let text = '';
    stalled.on('data', (chunk) => {
      text += chunk.toString('utf8');
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
        lines.push(JSON.parse(text.slice(0, nl)).result);
        text = text.slice(nl + 1);
      }
    });
    stalled.resume();
    await pause(1_000);
    stalled.destroy();
    const done = (await daemon.client.request('snapshot', { app: 'tiny' })).inputs.done;
    expect(lines.at(-1)?.inputs.done).toBe(done);
  });

  it("only watchers of an app that changed are sent a snapshot; a build's output stays in its event", async () => {
    daemon = await startDaemon();
    const busy = await daemon.deploy('busy');
    await daemon.deploy('idle');
    // A build that fails with 70 KB of output: kept in the stored event, not in every snapshot.
    await daemon.deploy('idle', [
      '',
      '[build]',
      'command = "head -c 70000 /dev/zero | tr \'\\\\0\' x; exit 1"',
    ]);

    const received: Snapshot[] = [];
    const errors: Error[] = [];
    const unsubscribe = daemon.client.watch(
      'idle',
      (s) => received.push(s),
      (e) => errors.push(e),
    );
    await pause(500);
    const load = startLoad(busy, { rate: 200, concurrency: 4, durationMs: 4_000 });
    const before = received.length;
    await load.done;
    unsubscribe();
    expect(errors).toEqual([]);
    // The idle app's chart moves once a second; the busy one's inputs are none of its watcher's business.
    console.log(`idle app's watcher: ${received.length - before} snapshots in 4 s of load on another app`);
    expect(received.length - before).toBeLessThanOrEqual(7);

    const failed = received.at(-1)!.events.find((e) => e.kind === 'build-failed');
    expect(failed?.message).toMatch(/build failed/);
    expect(failed).not.toHaveProperty('detail');
    expect(JSON.stringify(received.at(-1)).length).toBeLessThan(64 * 1024);
  });

  it('a watch that asks for appended metrics gets the window once, then the new samples only, and the same snapshots', async () => {
    daemon = await startDaemon();
    await daemon.deploy('tiny');
    const whole = rawWatch(daemon.paths.socket, { app: 'tiny' });
    const appended = rawWatch(daemon.paths.socket, { app: 'tiny', metrics: 'appended' });
    // Metrics are sampled once a second: each sample is a snapshot for both watchers.
    await pause(4_500);
    whole.close();
    appended.close();

    // Whole until the window has a sample (a new app has none yet), then appended samples only.
    const firstSample = appended.lines.findIndex((l) => 'metrics' in l && l.metrics.length > 0);
    expect(firstSample).toBeGreaterThanOrEqual(0);
    for (const early of appended.lines.slice(0, firstSample)) expect(early).toMatchObject({ metrics: [] });
    const updates = appended.lines.slice(firstSample + 1);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    for (const update of updates) {
      expect(update).not.toHaveProperty('metrics');
      expect(
        (update as { appendedMetrics: AppendedMetrics }).appendedMetrics.samples.length,
      ).toBeLessThanOrEqual(2);
    }
    // Put back together, they are the snapshots the other watcher got whole.
    const decode = metricsDecoder();
    const rebuilt = appended.lines.map(decode);
    const byTime = new Map((whole.lines as Snapshot[]).map((w) => [w.at, w]));
    let compared = 0;
    for (const snapshot of rebuilt) {
      const same = byTime.get(snapshot.at);
      if (same === undefined) continue;
      expect(snapshot).toEqual(same);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(3);
    const bytes = (lines: unknown[]) => lines.slice(-2).map((l) => JSON.stringify(l).length);
    console.log(
      `a snapshot after the first: ${bytes(whole.lines)} bytes whole, ${bytes(appended.lines)} appended`,
    );
  });
});

describe('the client', () => {
  it('fails a request on a closed connection at once, and a watch reconnects when the daemon is back', async () => {
    daemon = await startDaemon();
    await daemon.deploy('tiny');
    const snapshots: Snapshot[] = [];
    const errors: Error[] = [];
    daemon.client.watch(
      'tiny',
      (s) => snapshots.push(s),
      (e) => errors.push(e),
    );
    await pause(300);
    const seen = snapshots.length;
    expect(seen).toBeGreaterThan(0);

    await daemon.reserve(); // every connection dropped, the socket served again
    const refused = await Promise.race([
      daemon.client.request('apps', {}).then(
        () => 'answered',
        (e: Error) => e.message,
      ),
      pause(2_000).then(() => 'hung'),
    ]);
    expect(refused).toMatch(/closed the connection/);

    await pause(1_000);
    expect(errors).toEqual([]);
    expect(snapshots.length).toBeGreaterThan(seen); // the watch came back by itself
    daemon.client = await DaemonClient.connect(daemon.paths, { start: false, entry: '', env: process.env });
  });
});
