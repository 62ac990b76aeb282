// P1 on the real local platform: `cutover pause` holds a rolling rollout (nothing starts or drains,
// the old version keeps serving), `cutover resume` carries it to the end.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('pause and resume (local platform)', () => {
  it('P1: a paused rolling rollout stays where it was; resume finishes it', async () => {
    box = sandbox({ containers: 3, env: { COLD_START_MS: '300' } });
    await box.ok(['deploy', box.appDir]);
    box.manifest({ containers: 3, env: { COLD_START_MS: '1500' } });
    await box.ok(['deploy', box.appDir, '--detach']);
    await waitFor('a v2 container ready', async () =>
      (await box!.status()).containers.some((c) => c.version === 2 && c.state === 'ready'),
    );

    const paused = await box.ok(['pause', 'shop', '--json']);
    expect(paused.json()).toMatchObject({ app: 'shop', paused: true, noop: false });
    const at = await box.status();
    expect(at).toMatchObject({ paused: true, rollout: { to: 2 } });
    const held = at.containers.map((c) => `${c.id}:${c.version}`).sort();
    // Three cold starts' worth of waiting: a rollout would have moved on by now.
    await new Promise((r) => setTimeout(r, 5_000));
    const still = await box.status();
    expect(still.rollout).toMatchObject({ to: 2 });
    expect(still.containers.map((c) => `${c.id}:${c.version}`).sort()).toEqual(held);
    expect(still.containers.filter((c) => c.version === 1 && c.state === 'ready').length).toBeGreaterThan(0);

    const again = await box.run(['pause', 'shop']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already paused');

    await box.ok(['resume', 'shop']);
    await box.ok(['wait', 'shop', '--timeout', '60s']);
    const done = await box.status();
    expect(done).toMatchObject({ version: 2, paused: false, rollout: null });
    const steady = await box.run(['pause', 'shop']);
    expect(steady.code).toBe(1);
    expect(steady.stderr).toContain('has no rollout in progress to pause');
  });
});
