// B1 on the real local platform: `cutover rollback APP N` to a version whose own rollout failed
// warns before it rolls back (the screen's dialog asks twice for the same reason).
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('rollback to a failed version (local platform)', () => {
  it('B1: warns that its rollout failed, then rolls back to it as asked', async () => {
    box = sandbox({ containers: 1, startTimeout: '1s' });
    await box.ok(['deploy', box.appDir]);
    box.manifest({ containers: 1, startTimeout: '1s', env: { HEALTHY: 'no' } });
    expect((await box.run(['deploy', box.appDir])).code).toBe(1);
    box.manifest({ containers: 1, startTimeout: '1s', env: { GREETING: 'v3' } });
    await box.ok(['deploy', box.appDir]);

    const rollback = await box.run(['rollback', 'shop', '2', '--detach']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stderr).toContain("warning: v2's own rollout failed");
    expect(rollback.stdout).toContain('v4 created (rollback to v2)');

    // The default target never is a failed version, and needs no warning.
    const quiet = await box.run(['rollback', 'shop', '3', '--detach']);
    expect(quiet.stderr).not.toContain('warning');
  });
});
