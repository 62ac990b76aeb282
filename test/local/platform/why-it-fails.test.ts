// H1 on the real local platform, as the screen and `status` show it: a container that never gets
// ready says what its readiness probe answers; a crash loop shows the failed container with its
// reason; the failed rollout names the container whose output `cutover logs` still has.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('why a version fails (local platform)', () => {
  it('H1: the probe answer while starting, the failed container and its reason, its output after', async () => {
    box = sandbox({ containers: 1, startTimeout: '2s' });
    await box.ok(['deploy', box.appDir]);
    box.manifest({ containers: 1, startTimeout: '2s', env: { HEALTHY: 'no' } });
    await box.ok(['deploy', box.appDir, '--detach']);

    const starting = await waitFor('a probe answer', async () => {
      const rows = (await box!.status()).containers;
      return rows.find((c) => c.version === 2 && c.state === 'starting' && c.reason?.includes('HTTP 503'));
    });
    expect(starting.reason).toBe('readiness: HTTP 503 from /healthz: "no"');

    const crashed = await waitFor('a failed container row', async () => {
      const rows = (await box!.status()).containers;
      return rows.find((c) => c.version === 2 && c.state === 'failed');
    });
    expect(crashed.reason).toBe('not ready after 2s; last probe: HTTP 503 from /healthz: "no"');
    expect(crashed.restarts).toBeGreaterThanOrEqual(1);
    // `cutover logs` has the crashed container's output, also once a newer failure replaced its row.
    const its = await box.ok(['logs', 'shop', '--container', crashed.id]);
    expect(its.stdout).toContain(`[${crashed.id}] fixture ${crashed.id} of v2 listening`);

    const failed = await waitFor(
      'the failed rollout',
      async () => (await box!.status()).failed ?? undefined,
      { timeoutMs: 60_000 },
    );
    expect(failed.probe).toBe('HTTP 503 from /healthz: "no"');
    const logs = await box.ok(['logs', 'shop', '--container', failed.container!]);
    expect(logs.stdout).toMatch(
      new RegExp(`\\[${failed.container}\\] fixture ${failed.container} of v2 listening`),
    );
  });

  it('cutover logs says which container has no output yet', async () => {
    box = sandbox({ containers: 1, startTimeout: '30s', env: { COLD_START_MS: '8000' } });
    await box.ok(['deploy', box.appDir, '--detach']);
    const id = await waitFor('a container', async () => (await box!.status()).containers[0]?.id);
    const logs = await box.ok(['logs', 'shop']);
    expect(logs.stdout).toBe('');
    expect(logs.stderr).toBe(`${id} has no output yet\n`);
  });
});
