// How cutover runs `fly deploy`: its output streamed into the app's event log (what the watch
// screen shows while a rollback from the `r` key runs), and in a session of its own, so a
// rollout goes on when cutover's process dies (a dropped SSH connection, a killed terminal).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../../src/engine/provider.ts';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { openFly } from '../../../src/providers/fly/index.ts';
import type { FakeApp } from '../../fakes/fly/fake-app.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import { BIN, waitFor } from '../../local/platform/cli.ts';

let fly: FlySandbox;
let app: FakeApp;
let provider: Provider | null = null;
beforeEach(async () => {
  fly = await FlySandbox.start();
  app = fly.api.createApp('shop', 'acme');
  await fly.deploy(fly.appDir('v1', { flyToml: flyToml() }));
});
afterEach(async () => {
  provider?.close();
  await fly.cleanup();
});

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('fly deploy runs', { timeout: 180_000 }, () => {
  it("streams flyctl's output into the event log the watch shows", async () => {
    provider = await openFly({
      env: { ...process.env, ...fly.env() },
      stateDir: join(fly.home, 'fly'),
      name: null,
      timing: { pollMs: 300, timeoutMs: 5000, maxBackoffMs: 1000 },
    });
    const snapshots: Snapshot[] = [];
    const stop = provider.watch('shop', { snapshot: (s) => snapshots.push(s), error: () => undefined });
    try {
      const reply = await provider.rollover('shop', { user: 'alice' });
      expect(reply).toMatchObject({
        ok: true,
        version: 2,
        message: 'shop v2: rolled over v1 (image and config of v1)',
      });
      const last = await waitFor('the rollover in the events', () =>
        snapshots.find(
          (s) => s.events.some((e) => e.kind === 'version-created' && e.version === 2) && s.rollout === null,
        ),
      );
      const messages = last.events.map((e) => `${e.kind}: ${e.message}`);
      expect(messages).toContain('command: rollover of v1 by alice');
      expect(messages).toContain("fly-output: Updating existing machines in 'shop' with rolling strategy");
      expect(messages.some((m) => /^version-created: release v2 \(rollover, rolling\) by /.test(m))).toBe(
        true,
      );
    } finally {
      stop();
    }
  });

  it("a rollout goes on when cutover's process is killed mid-deploy", async () => {
    fly.api.stepMs = 500;
    const child = spawn(process.execPath, [BIN, 'rollover', 'shop', '--platform', 'fly'], {
      cwd: fly.home,
      env: { ...process.env, CUTOVER_HOME: fly.home, ...fly.env() },
      stdio: 'ignore',
    });
    await waitFor(
      'release v2 rolling',
      () => app.releases[0]?.version === 2 && app.releases[0].status === 'running',
      { timeoutMs: 30_000 },
    );
    child.kill('SIGKILL');
    await waitFor('release v2 complete anyway', () => app.releases[0]?.status === 'complete', {
      timeoutMs: 60_000,
    });
    expect([...app.machines.values()].map((m) => m.config.metadata?.fly_release_version)).toEqual(['2', '2']);
  });

  it('C1: a second command while a deploy holds the leases is refused before anything runs', async () => {
    fly.api.stepMs = 500;
    const first = spawn(process.execPath, [BIN, 'rollover', 'shop', '--platform', 'fly'], {
      cwd: fly.home,
      env: { ...process.env, CUTOVER_HOME: fly.home, ...fly.env() },
      stdio: 'ignore',
    });
    const ended = new Promise<number | null>((resolve) => first.once('exit', resolve));
    await waitFor('release v2 rolling', () => app.releases[0]?.status === 'running', { timeoutMs: 30_000 });
    const calls = fly.flyCalls().length;
    const second = await fly.run(['rollback', 'shop', '1', '--platform', 'fly']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /a deploy is already running on shop: machine \w+ is leased by ops@example\.com \(flyctl deploy\); wait for it \(cutover wait shop --platform fly\) and try again; nothing was run/,
    );
    expect(fly.flyCalls().length).toBe(calls);
    expect(await ended).toBe(0);
    expect(app.releases.map((r) => [r.version, r.status])).toEqual([
      [2, 'complete'],
      [1, 'complete'],
    ]);
  });
});
