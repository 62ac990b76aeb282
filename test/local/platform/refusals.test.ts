// Issue 3: what the real local platform does with a failing build, bad input and two operators
// at once. Each case checks that nothing changed where nothing should have.
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad, summarize } from './load.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('refusals and races (local platform)', () => {
  it('D4 a failing build: exit 1, its output on stderr, no version used, the same containers serving', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.status();
    const historyBefore = await box.history();
    const load = startLoad(before.functions[0]!.url!, { rate: 100, concurrency: 4, durationMs: 30_000 });

    box.message('hello from a build that breaks');
    box.manifest({
      containers: 2,
      build: "echo compiling the assets; echo 'error: the assets did not compile' >&2; exit 1",
    });
    const deploy = await box.run(['deploy', box.appDir]);
    const samples = await load.stop();

    expect(deploy.code, deploy.stdout + deploy.stderr).toBe(1);
    expect(deploy.stderr).toContain('compiling the assets');
    expect(deploy.stderr).toContain('error: the assets did not compile');
    expect(deploy.stderr).toMatch(/build failed/);
    expect(await box.history()).toEqual(historyBefore);
    const after = await box.status();
    expect(after.version).toBe(1);
    expect(after.rollout).toBeNull();
    expect(after.containers).toEqual(before.containers);
    const summary = summarize(samples);
    console.log(`D4 failing build: ${JSON.stringify(summary)}`);
    expect(summary.firstFailures).toEqual([]);
    expect(samples.every((s) => s.body?.message === 'hello from v1')).toBe(true);

    // D1: the number the failed build did not use is the next deploy's.
    box.manifest({ containers: 2 });
    const next = await box.ok(['deploy', box.appDir, '--json']);
    expect(next.json()).toMatchObject({ version: 2, noop: false });
  });

  it('bad input: a typo in the manifest, an unknown app, an unknown version: exit 2, named, nothing changed', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const statusBefore = await box.status();
    const historyBefore = await box.history();

    box.manifest({ containers: 2, extraFunctionLines: ['drain_timeuot = "5s"'] });
    const manifestLines = readFileSync(join(box.appDir, 'cutover.toml'), 'utf8');
    const typoLine = manifestLines.split('\n').findIndex((l) => l.startsWith('drain_timeuot')) + 1;
    const typo = await box.run(['deploy', box.appDir]);
    expect(typo.code, typo.stderr).toBe(2);
    expect(typo.stderr).toContain(`${box.appDir}/cutover.toml:${typoLine}:`);
    expect(typo.stderr).toContain('drain_timeuot');

    const unknownApp = await box.run(['rollback', 'nope']);
    expect(unknownApp.code, unknownApp.stderr).toBe(2);
    expect(unknownApp.stderr).toMatch(/no app named nope/);

    const unknownVersion = await box.run(['rollback', 'shop', '99']);
    expect(unknownVersion.code, unknownVersion.stderr).toBe(2);
    expect(unknownVersion.stderr).toMatch(/shop has no v99/);

    const noEarlier = await box.run(['rollback', 'shop']);
    expect(noEarlier.code, noEarlier.stderr).toBe(2);
    expect(noEarlier.stderr).toMatch(/no earlier version/);

    expect(await box.history()).toEqual(historyBefore);
    const statusAfter = await box.status();
    expect(statusAfter.containers).toEqual(statusBefore.containers);
    expect(statusAfter.version).toBe(1);
    const apps = (await box.ok(['apps', '--json'])).json();
    expect(apps).toEqual([{ app: 'shop', appId: 'shop', status: 'deployed', version: 1 }]);
  });

  it('C1 two rollbacks at the same moment: exactly one new version, the other is told which won', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    box.message('hello from v2');
    await box.ok(['deploy', box.appDir]);

    // Two CLI processes started together, as two operators pressing rollback at once.
    const pair = await Promise.all([
      box.run(['rollback', 'shop', '--json']),
      box.run(['rollback', 'shop', '--json']),
    ]);
    for (const r of pair) expect(r.code, r.stdout + r.stderr).toBe(0);
    const replies = pair.map((r) => r.json<{ noop: boolean }>());
    const winner = replies.find((r) => r.noop === false);
    const other = replies.find((r) => r.noop === true);
    expect(winner).toMatchObject({ app: 'shop', version: 3, rollbackOf: 1, noop: false, outcome: 'active' });
    expect(other).toEqual({
      app: 'shop',
      version: 3,
      rollbackOf: 1,
      noop: true,
      outcome: 'active',
      message: expect.stringMatching(/^v3 \(rollback by .+\) already rolls out v1's spec$/),
    });
    let history = await box.history();
    expect(history.map((h) => [h.version, h.kind])).toEqual([
      [3, 'rollback'],
      [2, 'deploy'],
      [1, 'deploy'],
    ]);

    // The same without --json: the one that lost says, in words, which version already does it.
    const words = await Promise.all([box.run(['rollback', 'shop']), box.run(['rollback', 'shop'])]);
    for (const r of words) expect(r.code, r.stdout + r.stderr).toBe(0);
    const loser = words.find((r) => /already/.test(r.stdout));
    expect(loser?.stdout).toMatch(
      /v4 \(rollback by [^)]+\) already rolls out v2's spec|v4 already runs v2's spec/,
    );
    expect(words.filter((r) => /v4 created/.test(r.stdout))).toHaveLength(1);
    history = await box.history();
    expect(history.map((h) => [h.version, h.kind, h.rollbackOf])).toEqual([
      [4, 'rollback', 2],
      [3, 'rollback', 1],
      [2, 'deploy', null],
      [1, 'deploy', null],
    ]);
  });

  it('D2 a deploy of the spec still rolling out waits for that rollout, and says it is in progress', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    box.message('hello from v2');
    box.manifest({ containers: 2, env: { COLD_START_MS: '3000' } });
    await box.ok(['deploy', box.appDir, '--detach']);

    const again = await box.run(['deploy', box.appDir]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/no change: v2's rollout of this spec is in progress/);
    expect(again.stdout).toMatch(/shop v2 active/);
    // It returned once v2 was active, not while 0 of 2 were ready.
    expect(await box.status()).toMatchObject({ version: 2, rollout: null });
    expect(await box.history()).toHaveLength(2);
  });

  it('a symbolic link that leaves the app directory: exit 2, named, nothing changed', async () => {
    box = sandbox({ containers: 1 });
    await box.ok(['deploy', box.appDir]);
    const before = await box.history();
    symlinkSync('/etc/hostname', join(box.appDir, 'hostname'));
    const refused = await box.run(['deploy', box.appDir, '--json']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/hostname: symlink points outside the app directory \(\/etc\/hostname\)/);
    expect(refused.json()).toMatchObject({ error: { code: 'bad-app' } });
    expect(await box.history()).toEqual(before);
  });
});
