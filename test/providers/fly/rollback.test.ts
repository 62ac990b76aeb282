// B1/B2 on Fly through the real CLI: `cutover rollback shop 1 --platform fly` deploys v1's image
// with v1's recorded fly.toml (`fly deploy -c … -i …`) and says exactly what it restores and what
// it cannot; for a release whose config it never recorded, only the image.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeApp } from '../../fakes/fly/fake-app.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import { BIN, waitFor } from '../../local/platform/cli.ts';
import type { HistoryEntryJson } from '../../local/platform/sandbox.ts';

let fly: FlySandbox;
beforeEach(async () => {
  fly = await FlySandbox.start();
});
afterEach(async () => fly.cleanup());

const warnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('warning: '))
    .map((l) => l.slice(9));

const running = (app: FakeApp) => [...app.machines.values()].filter((m) => m.state !== 'destroyed');

const deployed = (dir: string) => fly.deploy(dir);

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('rollback on Fly', { timeout: 180_000 }, () => {
  it('B1/B2: restores v1 image and recorded fly.toml, and names the secrets and mounts it cannot restore', async () => {
    const app = fly.api.createApp('shop', 'acme');
    app.setSecret('DATABASE_URL', 'postgres://one');
    const v1Toml = flyToml({ env: { LOG_LEVEL: 'info' } });
    await deployed(fly.appDir('v1', { flyToml: v1Toml }));
    const v1Image = app.releases[0]!.image_ref;
    app.setSecret('DATABASE_URL', 'postgres://two');
    app.setSecret('STRIPE_KEY', 'sk_live_x');
    await deployed(
      fly.appDir('v2', {
        flyToml: flyToml({ env: { LOG_LEVEL: 'debug', FEATURE: 'on' }, memory: 512, mount: 'data' }),
        files: { 'v2.txt': 'new' },
      }),
    );

    const r = await fly.run(['rollback', 'shop', '1', '--platform', 'fly', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      app: 'shop',
      version: 3,
      rollbackOf: 1,
      noop: false,
      outcome: 'active',
    });
    expect(warnings(r.stderr)).toEqual([
      "config restored to v1's fly.toml: app: env: FEATURE removed, LOG_LEVEL changed; app: VM size shared-cpu-1x 512MB → shared-cpu-1x 256MB",
      'secrets not restored: DATABASE_URL changed since v1 (digest differs), STRIPE_KEY added since v1',
      'infrastructure not restored: app: volume data at /data was added after v1',
    ]);

    for (let i = 0; i < 3; i++) {
      fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
      if (i < 2) fly.expectFly('deploy', '-a', 'shop');
    }
    fly.expectFly('deploy', '-a', 'shop', '-i', v1Image, '-c', /\/fly\.toml$/);
    fly.verifyFly();
    // The exact fly.toml deployed as v1, not the directory's current one.
    expect(fly.flyCalls().at(-1)?.config).toBe(v1Toml);

    const machines = running(app);
    expect(machines.length).toBe(2);
    for (const m of machines) {
      expect(m.config.image).toBe(v1Image);
      expect(m.config.env).toMatchObject({ LOG_LEVEL: 'info' });
      expect(m.config.env?.FEATURE).toBeUndefined();
      expect(m.config.guest?.memory_mb).toBe(256);
      expect(m.config.metadata?.fly_release_version).toBe('3');
    }
    const history = (await fly.run(['history', 'shop', '--platform', 'fly', '--json'])).json<
      HistoryEntryJson[]
    >();
    expect(history.map((h) => [h.version, h.kind, h.rollbackOf, h.outcome, h.user])).toEqual([
      [3, 'rollback', 1, 'active', 'alice (cutover)'],
      [2, 'deploy', null, 'superseded', 'alice (cutover)'],
      [1, 'deploy', null, 'superseded', 'alice (cutover)'],
    ]);
  });

  it("a release whose config was never recorded: only the image comes back, as Fly's thread does it by hand", async () => {
    const app = fly.api.createApp('shop', 'acme');
    // Both deployed with fly itself, before cutover ever looked at the app.
    await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }));
    expect(
      (
        await fly.fly(
          ['deploy'],
          fly.appDir('v2', { flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }), files: { x: '2' } }),
        )
      ).code,
    ).toBe(0);
    // The thread's manual step: find v1's image in `fly releases --image`.
    const manual = await fly.fly(['releases', '--image', '-a', 'shop'], fly.root);
    const v1Image = app.releases.find((r) => r.version === 1)!.image_ref;
    expect(manual.stdout.split('\n').find((l) => /^v1\s/.test(l))).toContain(v1Image);

    const r = await fly.run(['rollback', 'shop', '1', '--platform', 'fly']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toEqual([
      "only the image can be restored; the config stays as it is now (v1's config was never recorded)",
      'secrets not restored: their digests at v1 were never recorded, so cutover cannot tell which changed',
      "infrastructure not restored: volumes and mounts are not part of a release (v1's were never observed)",
    ]);
    expect(r.stdout).toContain('shop v3: rolled back to v1 (image of v1 only; config as it was)');

    fly.expectFly('deploy');
    fly.expectFly('deploy');
    fly.expectFly('releases', '--image', '-a', 'shop');
    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.expectFly('deploy', '-a', 'shop', '-i', v1Image);
    fly.verifyFly();
    // Run where no fly.toml is, so flyctl keeps the app's current config.
    expect(fly.flyCalls().at(-1)?.cwd).toMatch(/\/fly\/apps\/shop\/runs\/[^/]+-rollback-v1-\d+$/);
    for (const m of running(app)) {
      expect(m.config.image).toBe(v1Image);
      expect(m.config.env?.LOG_LEVEL).toBe('debug');
    }
  });

  it('a release made elsewhere but seen by cutover: only the image, and the keys that stay as they are now', async () => {
    const app = fly.api.createApp('shop', 'acme');
    app.setSecret('DATABASE_URL', 'postgres://one');
    await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }));
    // cutover sees v1 once (its config and secret digests are recorded), then v2 comes from elsewhere.
    expect((await fly.run(['status', 'shop', '--platform', 'fly'])).code).toBe(0);
    app.setSecret('DATABASE_URL', 'postgres://two');
    expect(
      (
        await fly.fly(
          ['deploy'],
          fly.appDir('v2', { flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }), files: { x: '2' } }),
        )
      ).code,
    ).toBe(0);

    const r = await fly.run(['rollback', 'shop', '--platform', 'fly']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toEqual([
      'only the image can be restored; the config stays as it is now (v1 was deployed outside cutover)',
      'config not restored, v1 differed from now in: app: env: LOG_LEVEL changed',
      'secrets not restored: DATABASE_URL changed since v1 (digest differs)',
    ]);
  });

  it('an unknown version is exit 2, naming the releases there are, and runs nothing', async () => {
    fly.api.createApp('shop', 'acme');
    await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }));
    const r = await fly.run(['rollback', 'shop', '7', '--platform', 'fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shop has no release v7 (releases: v1…v1)');
    fly.expectFly('deploy');
    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.verifyFly();
  });

  it('a rollback whose cutover is killed mid-deploy is still labelled a rollback of v1: the next reader settles it', async () => {
    const app = fly.api.createApp('shop', 'acme');
    await deployed(fly.appDir('v1', { flyToml: flyToml({ env: { LOG_LEVEL: 'info' } }) }));
    await deployed(fly.appDir('v2', { flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }) }));
    const cli = spawn(process.execPath, [BIN, 'rollback', 'shop', '1', '--platform', 'fly'], {
      cwd: fly.home,
      env: { ...process.env, CUTOVER_HOME: fly.home, NO_COLOR: '1', ...fly.env() },
      stdio: 'ignore',
    });
    const gone = new Promise((resolve) => cli.once('exit', resolve));
    await waitFor('fly deploy -i started', () => fly.flyCalls().some((c) => c.args.includes('-i')));
    cli.kill('SIGKILL'); // an SSH session dropped, a CI job cancelled: flyctl goes on in its session
    await gone;
    await waitFor(
      'release v3 complete',
      () => app.releases[0]?.version === 3 && app.releases[0].status === 'complete',
    );
    const history = (await fly.run(['history', 'shop', '--platform', 'fly', '--json'])).json<
      HistoryEntryJson[]
    >();
    expect(history.map((h) => [h.version, h.kind, h.rollbackOf, h.user])).toEqual([
      [3, 'rollback', 1, 'alice (cutover)'],
      [2, 'deploy', null, 'alice (cutover)'],
      [1, 'deploy', null, 'alice (cutover)'],
    ]);
  });
});
