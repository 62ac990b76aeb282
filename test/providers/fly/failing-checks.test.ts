// H1 on Fly: a deploy whose machines fail their checks ends `failed` with the failing check's
// output (flyctl gives up after --wait-timeout and marks the release failed), and `cutover wait
// --auto-rollback` then rolls back to the last good release, image and config.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import type { HistoryEntryJson } from '../../local/platform/sandbox.ts';

let fly: FlySandbox;
beforeEach(async () => {
  fly = await FlySandbox.start();
});
afterEach(async () => fly.cleanup());

const output = 'HTTP GET http://[fdaa:0:18:a7b::2]:8080/healthz: 500 Internal Server Error';

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('failing checks on Fly', { timeout: 180_000 }, () => {
  it('H1: the deploy ends failed with the check output; wait --auto-rollback goes back to the last good release', async () => {
    const app = fly.api.createApp('shop', 'acme');
    await fly.deploy(fly.appDir('v1', { flyToml: flyToml() }));
    const v1Image = app.releases[0]!.image_ref;

    const bad = fly.appDir('v2', {
      flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }),
      dockerfile: `FROM node:20-slim\nLABEL fake.checks="critical"\nLABEL fake.check_output="${output}"\n`,
    });
    const deploy = await fly.run(['deploy', bad, '--platform', 'fly'], {
      env: { FAKE_FLY_WAIT_TIMEOUT_MS: '2500' },
    });
    expect(deploy.code).toBe(1);
    const reason = `check servicecheck-00-http-8080 critical: ${output}`;
    expect(deploy.stdout).toMatch(
      /^shop v2: fly deploy exited 1: Error: timeout reached waiting for health checks to pass for machine \w+/m,
    );
    expect(deploy.stdout).toMatch(
      new RegExp(`^shop v2 failed: machine \\w+: ${reason.replace(/[[\]().:]/g, '\\$&')}$`, 'm'),
    );

    const status = (await fly.run(['status', 'shop', '--platform', 'fly', '--json'])).json<{
      version: number;
      failed: { version: number; reason: string };
      containers: { version: number; state: string }[];
    }>();
    expect(status.version).toBe(1);
    expect(status.failed.version).toBe(2);
    expect(status.failed.reason).toContain(reason);
    // The spearhead failed; flyctl cancelled the rest, which still serve v1.
    expect(status.containers.map((c) => [c.version, c.state]).sort()).toEqual([
      [1, 'ready'],
      [2, 'failed'],
    ]);

    const wait = await fly.run(['wait', 'shop', '--platform', 'fly', '--auto-rollback']);
    expect(wait.code).toBe(1);
    expect(wait.stdout).toContain('shop v2 failed: machine');
    expect(wait.stdout).toContain('auto-rollback: shop v3: rolled back to v1 (image and config of v1)');

    const machines = [...app.machines.values()];
    expect(machines.map((m) => [m.config.image, m.config.metadata?.fly_release_version])).toEqual([
      [v1Image, '3'],
      [v1Image, '3'],
    ]);
    const history = (await fly.run(['history', 'shop', '--platform', 'fly', '--json'])).json<
      HistoryEntryJson[]
    >();
    expect(history.map((h) => [h.version, h.kind, h.rollbackOf, h.outcome])).toEqual([
      [3, 'rollback', 1, 'active'],
      [2, 'deploy', null, 'failed'],
      [1, 'deploy', null, 'superseded'],
    ]);
    for (const step of ['v1', 'v2', 'rollback']) {
      fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
      if (step === 'rollback') fly.expectFly('deploy', '-a', 'shop', '-i', v1Image, '-c', /fly\.toml$/);
      else fly.expectFly('deploy', '-a', 'shop');
    }
    fly.verifyFly();
  });
});
