// The Modal commands through the real `bin/cutover --platform modal` against the fake `modal`:
// each sends the real CLI's command (checked call by call), reports Modal's answer with the
// promised exit code, and leaves history as Modal would have it.
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { shopWorld } from '../../fakes/modal/scenarios.ts';
import { showRun } from '../../local/platform/cli.ts';
import { type ModalBox, modalBox } from './modal-box.ts';

// Short enough to keep the suite quick; the watch scenarios use slower ones to see each step.
const quick = { buildMs: 100, startMs: 400, stopMs: 300, drainMs: 200 };

let box: ModalBox | null = null;
afterEach(() => {
  box?.dispose();
  box = null;
});

function start(world = shopWorld({ timing: quick })): ModalBox {
  box = modalBox(world);
  return box;
}

interface HistoryJson {
  version: number;
  kind: string;
  strategy: string;
  user: string;
  outcome: string;
  rollbackOf: number | null;
  description?: string;
}

async function history(b: ModalBox): Promise<HistoryJson[]> {
  return (await b.ok(['history', 'shop', '--json'])).json<HistoryJson[]>();
}

describe('rollback', () => {
  test('B1: rollback shop 2 → modal app rollback shop v2 --strategy rolling; a new version of kind rollback', async () => {
    const b = start();
    b.fake.expectCall(['app', 'rollback', 'shop', 'v2', '--strategy', 'rolling']);
    const r = await b.ok(['rollback', 'shop', '2', '--json']);
    expect(r.json()).toMatchObject({
      app: 'shop',
      version: 4,
      rollbackOf: 2,
      noop: false,
      outcome: 'active',
    });
    expect(r.stderr).toMatch(/Secrets and Volumes are not part of a Modal version/);
    b.fake.checkForMissingCalls();
    const h = await history(b);
    expect(h[0]).toMatchObject({
      version: 4,
      kind: 'rollback',
      strategy: 'rolling',
      rollbackOf: 2,
      outcome: 'active',
    });
    expect(h.slice(1).map((v) => v.kind)).toEqual(['deploy', 'deploy', 'deploy']);
  });

  test('B1: v2 is accepted like 2; with no version Modal goes to the live version − 1', async () => {
    const b = start();
    b.fake.expectCall(['app', 'rollback', 'shop', 'v1', '--strategy', 'recreate']);
    b.fake.expectCall(['app', 'rollback', 'shop', '--strategy', 'rolling']);
    await b.ok(['rollback', 'shop', 'v1', '--strategy', 'recreate', '--detach']);
    const r = await b.ok(['rollback', 'shop', '--json']);
    expect(r.json()).toMatchObject({ version: 5, rollbackOf: 3 });
    b.fake.checkForMissingCalls();
    expect((await history(b)).slice(0, 2).map((v) => [v.version, v.kind, v.strategy, v.rollbackOf])).toEqual([
      [5, 'rollback', 'rolling', 3],
      [4, 'rollback', 'recreate', 1],
    ]);
  });

  test("an unknown version: exit 2 with Modal's message, nothing changed", async () => {
    const b = start();
    const r = await b.run(['rollback', 'shop', '9']);
    expect(r.code, showRun(r)).toBe(2);
    expect(r.stderr).toMatch(
      /modal app rollback shop v9 --strategy rolling: Rollback version not found in App history\./,
    );
    expect(b.fake.world().apps[0]!.history).toHaveLength(3);
  });
});

test('O1: rollover --strategy recreate → modal app rollover shop --strategy recreate; kind rollover', async () => {
  const b = start();
  b.fake.expectCall(['app', 'rollover', 'shop', '--strategy', 'recreate']);
  const r = await b.ok(['rollover', 'shop', '--strategy', 'recreate']);
  expect(r.stdout).toMatch(
    /shop v4: rollover \(recreate\): Rollover completed in [\d.]+s with recreate strategy! 🎉/,
  );
  expect(r.stdout).toMatch(/shop v4 active/);
  b.fake.checkForMissingCalls();
  expect((await history(b))[0]).toMatchObject({
    version: 4,
    kind: 'rollover',
    strategy: 'recreate',
    outcome: 'active',
  });
  // The old containers were terminated by the client before it returned; only new ones run.
  const status = (await b.ok(['status', 'shop', '--json'])).json<{
    containers: { version: number; state: string }[];
  }>();
  expect(status.containers.length).toBeGreaterThan(0);
  expect(status.containers.every((c) => c.version === 4)).toBe(true);
});

describe('deploy', () => {
  test('D1: deploy FILE --tag → modal deploy FILE --strategy rolling --tag r7; the tag is in history', async () => {
    const b = start();
    const file = join(b.code, 'shop.py');
    b.fake.expectCall(['deploy', file, '--strategy', 'rolling', '--tag', 'r7']);
    const r = await b.ok(['deploy', file, '--tag', 'r7', '--json']);
    expect(r.json()).toMatchObject({ app: 'shop', version: 4, noop: false, outcome: 'active' });
    b.fake.checkForMissingCalls();
    expect((await history(b))[0]).toMatchObject({
      version: 4,
      kind: 'deploy',
      strategy: 'rolling',
      description: expect.stringMatching(/tag r7/),
    });
  });

  test('D2: "no changes detected" is a no-op: no version, it says so, exit 0', async () => {
    const b = start();
    const r = await b.ok(['deploy', join(b.code, 'same.py')]);
    expect(r.stdout).toMatch(/no changes detected: shop stays at v3/);
    expect((await history(b)).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  test("D4: a failed build changes nothing, exits 1, and keeps Modal's output in the reply and the event log", async () => {
    const b = start();
    const r = await b.run(['deploy', join(b.code, 'broken.py')]);
    expect(r.code, showRun(r)).toBe(1);
    expect(r.stderr).toMatch(/nosuchpackage/);
    expect(r.stderr).toMatch(/failed; nothing changed \(D4\): Image build for im-0FAKEBUILD failed/);
    expect(b.fake.world().apps[0]!.history).toHaveLength(3);
    const failed = (await b.firstSnapshot('shop')).events.find((e) => e.kind === 'deploy-failed');
    expect(failed).toMatchObject({ level: 'error', message: expect.stringMatching(/nothing changed/) });
    expect(failed?.detail).toMatch(/Could not find a version that satisfies the requirement nosuchpackage/);
  });

  test('a directory or an image is refused before Modal is asked anything', async () => {
    const b = start();
    const dir = await b.run(['deploy', b.code]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/is a directory; Modal deploys a Python file/);
    const image = await b.run(['deploy', join(b.code, 'shop.py'), '--image', 'nginx:1']);
    expect(image.code).toBe(2);
    expect(b.fake.calls().filter((c) => c[0] === 'deploy')).toEqual([]);
  });
});
