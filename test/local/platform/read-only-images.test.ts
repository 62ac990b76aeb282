// Issue 13, defect 6 (B1): a version's image is read-only, so a rollback runs exactly what ran
// before; each container writes into a scratch directory of its own ($TMPDIR, $HOME). The daemon
// runs as an ordinary user here (nobody, when the tests run as root): file modes bind it.
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunOptions } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

const NOBODY = 65534;
let box: Sandbox | null = null;
let as: RunOptions = {};
afterEach(async () => {
  await box?.run(['daemon', 'stop', '--apps'], as).catch(() => undefined);
  await box?.cleanup();
  box = null;
});

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    chownSync(join(dir, entry), uid, uid);
}

describe('images (local platform)', () => {
  it('B1 a container cannot write into its image, only into its own scratch directory, removed when it exits', async () => {
    box = sandbox({ containers: 1 });
    if (process.getuid?.() === 0) {
      chownTree(box.home, NOBODY);
      chownTree(box.appDir, NOBODY);
      as = { uid: NOBODY };
    }
    const deployed = await box.run(['deploy', box.appDir], as);
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    const status = (await box.run(['status', 'shop', '--json'], as)).json<{
      functions: { url: string }[];
      containers: { id: string }[];
    }>();
    const res = await fetch(`${status.functions[0]!.url}/write`, { headers: { connection: 'close' } });
    expect(await res.json()).toEqual({ image: 'EACCES', tmp: 'ok', home: 'ok' });
    const [image] = readdirSync(join(box.home, 'images')).filter((n) => /^[0-9a-f]{64}$/.test(n));
    expect(existsSync(join(box.home, 'images', image!, 'written-by-the-app.txt'))).toBe(false);

    // Its scratch directory goes with it.
    const scratch = join(box.home, 'scratch', status.containers[0]!.id);
    expect(existsSync(join(scratch, 'scratch.txt'))).toBe(true);
    const stopped = await box.run(['stop', 'shop', '--yes'], as);
    expect(stopped.code, stopped.stderr).toBe(0);
    for (let i = 0; i < 100 && existsSync(scratch); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(scratch)).toBe(false);
  });
});
