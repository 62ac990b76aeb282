// A rolling deploy on Fly watched start to end through the real CLI: `cutover deploy DIR
// --platform fly` runs `fly deploy` (the fake, first on PATH), which updates the fake API's
// machines in flyctl's order, while `cutover watch --json` polls the Machines API.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';

let fly: FlySandbox;
beforeEach(async () => {
  fly = await FlySandbox.start();
});
afterEach(async () => fly.cleanup());

const byVersion = (s: Snapshot, v: number) => s.containers.filter((c) => c.version === v).map((c) => c.id);

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('a rolling deploy on Fly', { timeout: 180_000 }, () => {
  it('S1: watched start to end, machines replaced spearhead first then in ID order, one at a time', async () => {
    fly.api.createApp('shop', 'acme');
    // v1 was deployed outside cutover, by hand.
    const v1 = fly.appDir('v1', { flyToml: flyToml() });
    await fly.flyDeploy(v1, { FAKE_FLY_FIRST_MACHINES: '3' });
    fly.expectFly('deploy');

    // Machines slow enough that a poll every 1.5 s sees each one being replaced.
    fly.api.stepMs = 400;
    const watch = fly.watchJson('shop');
    const before = await watch.until(
      'v1 with 3 ready machines',
      (s) => s.version === 1 && s.containers.filter((c) => c.state === 'ready').length === 3,
    );
    const ids = before.containers.map((c) => c.id).sort();

    const v2 = fly.appDir('v2', { flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }) });
    const deploy = await fly.run(['deploy', v2, '--platform', 'fly']);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain(`shop v2: deployed from ${v2}`);
    expect(deploy.stdout).toContain('shop v2 active');
    const after = await watch.until(
      'v2 active on every machine',
      (s) =>
        s.version === 2 &&
        s.rollout === null &&
        byVersion(s, 2).length === 3 &&
        s.containers.every((c) => c.state === 'ready'),
    );
    await watch.stop();

    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.expectFly('deploy', '-a', 'shop');
    fly.verifyFly();
    const call = fly.flyCalls()[2]!;
    expect([call.cwd, call.emit]).toEqual([v2, '1']);

    const rolling = watch.snapshots.filter((s) => s.rollout?.to === 2);
    expect(rolling.length, 'snapshots seen while v2 rolled out').toBeGreaterThan(0);
    expect(rolling[0]?.rollout).toMatchObject({ from: 1, to: 2, kind: 'deploy', strategy: 'rolling' });
    expect(
      rolling.some((s) => byVersion(s, 1).length > 0 && byVersion(s, 2).length > 0),
      'old and new side by side',
    ).toBe(true);
    for (const s of watch.snapshots) {
      // flyctl's order: the lowest ID is the spearhead, then the rest in ID order, one at a time.
      expect(byVersion(s, 2).sort()).toEqual(ids.slice(0, byVersion(s, 2).length));
      expect(s.containers.filter((c) => c.state !== 'ready').length).toBeLessThanOrEqual(1);
    }
    expect(after.history.map((h) => [h.version, h.kind, h.outcome, h.user])).toEqual([
      [2, 'deploy', 'active', 'alice (cutover)'],
      [1, 'deploy', 'superseded', 'ops@example.com'],
    ]);
    expect(after.containers.every((c) => c.location === 'ord')).toBe(true);

    // The fly.toml deployed is kept for v2, and flyctl's output with it, owner-only.
    const app = join(fly.home, 'fly', 'apps', 'shop');
    expect(readFileSync(join(app, 'v2.fly.toml'), 'utf8')).toBe(flyToml({ env: { LOG_LEVEL: 'debug' } }));
    const [run] = readdirSync(join(app, 'runs'));
    const log = join(app, 'runs', run!, 'output.log');
    expect(lstatSync(log).mode & 0o777).toBe(0o600);
    expect(readFileSync(log, 'utf8')).toContain("Updating existing machines in 'shop' with rolling strategy");
  });
});
