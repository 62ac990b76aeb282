// Issue 12, H1 on the real local platform: a version whose containers become ready and then
// crash (`timeout 1 python3 -m http.server`) is judged inside its settle window, and a container
// that stops passing its readiness probe after it was ready is taken out and replaced.
import { afterEach, describe, expect, it } from 'vitest';
import { firstLine, waitFor } from './cli.ts';
import { call } from './http.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

/** The app's recent events, as `watch --json` shows them. */
async function eventMessages(b: Sandbox): Promise<string[]> {
  const snapshot = JSON.parse(await firstLine(b.home, ['watch', 'shop', '--json']));
  return snapshot.events.map((e: { message: string }) => e.message);
}

// Ready within a moment (it listens at once), gone a second later: every time.
const CRASH_AFTER_READY = 'timeout 1 /usr/bin/python3 -m http.server "$PORT" --bind 127.0.0.1';

describe('H1 crash after ready (local platform)', () => {
  it('H1: a version that crashes inside min_ready fails its rollout; v1 never stopped serving', async () => {
    box = sandbox({ containers: 1, minReady: '3s' });
    await box.ok(['deploy', box.appDir]);
    const url = (await box.status()).functions[0]!.url!;

    box.manifest({ containers: 1, minReady: '3s', command: CRASH_AFTER_READY, ready: 'port' });
    const deploy = await box.run(['deploy', box.appDir]);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(1);
    expect(deploy.stdout + deploy.stderr).toMatch(/v2 failed: web containers failed 3 times/);
    expect((await box.history()).map((h) => [h.version, h.outcome])).toEqual([
      [2, 'failed'],
      [1, 'active'],
    ]);
    const status = await box.status();
    expect(status.version).toBe(1);
    expect(status.containers.map((c) => [c.version, c.state])).toEqual([[1, 'ready']]);
    expect((await call(`${url}/`).reply).json).toMatchObject({ version: 1 });
  }, 120_000);

  it('H1: with auto_rollback the crash-after-ready version is rolled back by itself', async () => {
    box = sandbox({ containers: 1, minReady: '3s', autoRollback: true });
    await box.ok(['deploy', box.appDir]);
    box.manifest({
      containers: 1,
      minReady: '3s',
      autoRollback: true,
      command: CRASH_AFTER_READY,
      ready: 'port',
    });
    const deploy = await box.run(['deploy', box.appDir]);
    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(1);
    await box.ok(['wait', 'shop', '--timeout', '60s']);
    const history = await box.history();
    expect(history.map((h) => [h.version, h.kind, h.outcome, h.user])).toEqual([
      [3, 'rollback', 'active', 'cutover (auto-rollback)'],
      [2, 'deploy', 'failed', expect.any(String)],
      [1, 'deploy', 'superseded', expect.any(String)],
    ]);
    expect(await eventMessages(box)).toContainEqual(
      expect.stringMatching(/^v2 failed: web containers failed 3 times/),
    );
  }, 120_000);
});

describe('H1 readiness after ready (local platform)', () => {
  it('H1: a container that stops passing its probe is taken out of routing and replaced', async () => {
    box = sandbox({
      containers: 1,
      env: { HEALTHY_FOR_MS: '5000' },
      extraFunctionLines: ['probe_period = "200ms"', 'probe_timeout = "500ms"', 'probe_failures = 2'],
    });
    await box.ok(['deploy', box.appDir]);
    const first = (await box.status()).containers[0]!.id;
    const replaced = await waitFor(
      'the container replaced',
      async () => {
        const s = await box!.status();
        return s.containers.some((c) => c.id !== first) ? s : undefined;
      },
      { timeoutMs: 20_000 },
    );
    // It no longer serves: gone, or kept on the screen as the failed row that says why (H1).
    const old = replaced.containers.find((c) => c.id === first);
    expect(old === undefined || old.state === 'failed' || old.state === 'exited').toBe(true);
    // The event names the probe's last answer, as the screen shows it.
    expect(await eventMessages(box)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^${first} failed readiness: 2 readiness probes failed in a row \\(last: HTTP 503 from /healthz`,
        ),
      ),
    );
  }, 120_000);
});
