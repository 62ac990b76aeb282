// Issue 13, defect 1: many deploys at once on a fresh state directory. Each one snapshots an
// image and each finished rollout collects images, so they race for the image store: every
// deploy must succeed, the daemon must survive, and no image a version runs may be deleted.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { showRun } from './cli.ts';
import { FIXTURE_APP, manifestText, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
const appDirs: string[] = [];
afterEach(async () => {
  await box?.cleanup();
  box = null;
  for (const dir of appDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const APPS = 20;

describe('parallel deploys (local platform)', () => {
  it('B1 D4 20 deploys at once on a fresh CUTOVER_HOME: all succeed, one daemon throughout, every image kept', async () => {
    box = sandbox();
    const dirs = Array.from({ length: APPS }, (_, i) => {
      const dir = mkdtempSync(join(tmpdir(), `cutover-parallel-${i}-`));
      appDirs.push(dir);
      cpSync(FIXTURE_APP, dir, { recursive: true });
      writeFileSync(join(dir, 'cutover.toml'), manifestText({ app: `p${i}`, containers: 2 }));
      writeFileSync(join(dir, 'message.txt'), `hello from p${i}\n`);
      return dir;
    });

    // Nothing runs yet: the first commands race to start the daemon too.
    const runs = await Promise.all(
      dirs.map((dir) => box!.run(['deploy', dir, '--json', '--timeout', '120s'], { timeoutMs: 180_000 })),
    );
    const failures = runs.filter((r) => r.code !== 0);
    expect(failures.map(showRun)).toEqual([]);
    for (const [i, run] of runs.entries()) {
      expect(run.json()).toMatchObject({ app: `p${i}`, version: 1, outcome: 'active' });
      expect(run.stderr).not.toMatch(/ECONNRESET|Error:|at /);
    }

    // One daemon served them all: it never crashed and restarted.
    const log = readFileSync(join(box.home, 'daemon.log'), 'utf8');
    expect(log.match(/serving/g), log).toHaveLength(1);
    expect(log).not.toMatch(/ENOENT|Unhandled|Error:/);

    // Every app runs its own image, which is still stored, and answers from it.
    for (let i = 0; i < APPS; i++) {
      const status = await box.status(`p${i}`);
      expect(status).toMatchObject({ version: 1, rollout: null });
      expect(status.containers.map((c) => c.state)).toEqual(['ready', 'ready']);
      const [entry] = await box.history(`p${i}`);
      expect(existsSync(join(box.home, 'images', entry!.image.slice(7)))).toBe(true);
      const res = await fetch(status.functions[0]!.url!, { headers: { connection: 'close' } });
      expect(await res.json()).toMatchObject({ version: 1, message: `hello from p${i}` });
    }
  }, 300_000);
});
