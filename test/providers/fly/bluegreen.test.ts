// Fly's bluegreen strategy is the GOOD/LATEST pattern of Fly's rollback thread done by flyctl:
// green machines start cordoned beside blue, serve once all are healthy, then blue is cordoned,
// stopped and destroyed. The watch screen names both colours while it runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import { spawnTerminal, type Terminal } from '../../helpers/terminal.ts';
import { BIN } from '../../local/platform/cli.ts';

let fly: FlySandbox;
let term: Terminal | null = null;
beforeEach(async () => {
  fly = await FlySandbox.start();
});
afterEach(async () => {
  term?.dispose();
  await fly.cleanup();
});

const of = (s: Snapshot, v: number) => s.containers.filter((c) => c.version === v);

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('bluegreen on Fly', { timeout: 180_000 }, () => {
  it('shows blue and green side by side on the screen while flyctl runs them, then green alone', async () => {
    fly.api.createApp('shop', 'acme');
    await fly.deploy(fly.appDir('v1', { flyToml: flyToml() }));
    // Slower machines and flyctl's waits before cordoning and stopping blue, so polls see each step.
    fly.api.stepMs = 700;
    term = spawnTerminal({
      file: process.execPath,
      args: [BIN, 'watch', 'shop', '--platform', 'fly'],
      cols: 120,
      rows: 30,
      cwd: fly.home,
      env: { ...fly.env(), CUTOVER_HOME: fly.home },
    });
    await term.waitFor('shop · fly · v1');
    const watch = fly.watchJson('shop');
    const deploy = fly.run(
      [
        'deploy',
        fly.appDir('v2', { flyToml: flyToml({ env: { LOG_LEVEL: 'debug' } }) }),
        '--platform',
        'fly',
        '--strategy',
        'bluegreen',
      ],
      {
        env: { FAKE_FLY_BLUEGREEN_WAIT_MS: '2500' },
      },
    );
    await term.waitFor('strategy bluegreen (blue v1 · green v2)', { timeoutMs: 30_000 });
    const result = await deploy;
    expect(result.code, result.stderr).toBe(0);
    await term.waitFor(/v2 · steady · strategy bluegreen\s*$/m, { timeoutMs: 15_000 });
    const done = await watch.until(
      'green alone',
      (s) => s.version === 2 && of(s, 1).length === 0 && of(s, 2).every((c) => c.state === 'ready'),
    );
    await watch.stop();

    const during = watch.snapshots.filter((s) => s.rollout?.to === 2);
    // Green starts cordoned beside blue, which keeps serving.
    const greenStarting = during.find(
      (s) => of(s, 2).length === 2 && of(s, 2).every((c) => c.state === 'starting'),
    );
    expect(greenStarting, 'green starting beside blue').toBeDefined();
    expect(of(greenStarting!, 1).every((c) => c.state === 'ready')).toBe(true);
    expect(greenStarting!.strategy).toBe('bluegreen (blue v1 · green v2)');
    expect(greenStarting!.rollout?.message).toMatch(
      /^v1 → v2 bluegreen: blue v1 2 serving · green v2 0\/2 healthy$/,
    );
    expect(greenStarting!.functions[0]?.target).toBe(2);
    // Then blue is cordoned (draining) while green serves.
    const blueDraining = during.find(
      (s) => of(s, 1).some((c) => c.state === 'draining') && of(s, 2).every((c) => c.state === 'ready'),
    );
    expect(blueDraining, 'blue cordoned, green serving').toBeDefined();
    expect(blueDraining!.rollout?.phase).toBe('draining');
    expect(done.history[0]).toMatchObject({ version: 2, strategy: 'bluegreen', outcome: 'active' });
    expect(done.events.some((e) => e.kind === 'bluegreen')).toBe(true);
    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.expectFly('deploy', '-a', 'shop');
    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.expectFly('deploy', '-a', 'shop', '--strategy', 'bluegreen');
    fly.verifyFly();
  });
});
