// What differs between Modal clients and machines, through the real `bin/cutover`: an older
// client's --json keys (column names) and missing flags, and a machine whose Python has no modal
// package (the real python3 runs the real stats helper): inputs are then "not reported", why is
// said in `status --json`, and the rest of the screen still works.
import { afterEach, expect, test } from 'vitest';
import { shopWorld } from '../../fakes/modal/scenarios.ts';
import { showRun } from '../../local/platform/cli.ts';
import { type ModalBox, modalBox } from './modal-box.ts';

const quick = { buildMs: 100, startMs: 400, stopMs: 300, drainMs: 200 };

let box: ModalBox | null = null;
afterEach(() => {
  box?.dispose();
  box = null;
});

interface StatusJson {
  version: number;
  containers: { id: string; version: number; state: string }[];
  inputs: { queued: number | null; inFlight: number | null; done: number | null; failed: number | null };
  inputsNote: string | null;
}

test('an old client (1.4.3): column-name keys read the same; rollback without --strategy where it has none', async () => {
  box = modalBox(shopWorld({ client: '1.4.3', timing: quick }));
  const status = (await box.ok(['status', 'shop', '--json'])).json<StatusJson>();
  expect(status.version).toBe(3);
  expect(status.containers.map((c) => [c.version, c.state])).toEqual([
    [3, 'ready'],
    [3, 'ready'],
  ]);
  expect(status.inputs).toMatchObject({ queued: 0, inFlight: 6 });
  const history = (await box.ok(['history', 'shop', '--json'])).json<{ version: number; user: string }[]>();
  expect(history.map((v) => [v.version, v.user])).toEqual([
    [3, 'alice@acme'],
    [2, 'alice@acme'],
    [1, 'alice@acme'],
  ]);

  // modal < 1.5.1 has no `app rollback --strategy`: asked for none, cutover uses Modal's default.
  box.fake.expectCall(['app', 'rollback', 'shop', 'v2', '--strategy', 'rolling']);
  box.fake.expectCall(['app', 'rollback', 'shop', 'v2']);
  const rolledBack = await box.ok(['rollback', 'shop', 'v2', '--json']);
  expect(rolledBack.json()).toMatchObject({ version: 4, rollbackOf: 2, outcome: 'active' });
  box.fake.checkForMissingCalls();

  // Asked for one, Modal's own refusal is the answer: exit 2, nothing changed.
  const recreate = await box.run(['rollback', 'shop', 'v1', '--strategy', 'recreate']);
  expect(recreate.code, showRun(recreate)).toBe(2);
  expect(recreate.stderr).toMatch(/No such option: --strategy/);
  expect(box.fake.world().apps[0]!.history).toHaveLength(4);
});

test('a client before 1.4.0 has no container list --app-id: the whole list is read and filtered', async () => {
  const world = shopWorld({ client: '1.3.2', timing: quick });
  // Another app's containers must not be counted as shop's.
  const other = {
    ...world.apps[0]!,
    appId: 'ap-OTHER',
    name: 'other',
    containers: [{ id: 'ta-OTHER', enqueuedAt: 1, startAt: 1, stopAt: null }],
  };
  world.apps.push(other);
  box = modalBox(world);
  const status = (await box.ok(['status', 'shop', '--json'])).json<StatusJson>();
  expect(status.containers.map((c) => c.id).sort()).toEqual(['ta-01SHOPOLD0', 'ta-01SHOPOLD1']);
  // Running inputs arrived in 1.3.5: a 1.3.2 client reports the backlog only.
  expect(status.inputs).toMatchObject({ queued: 0, inFlight: null });
  expect(status.inputsNote).toMatch(/no running inputs \(modal < 1\.3\.5\)/);
  expect(box.fake.calls()).toContainEqual(['container', 'list', '--json']);
});

test('no modal package in python3: inputs "not reported", the reason in status --json and on the screen', async () => {
  box = modalBox(shopWorld({ timing: quick }), { python: 'real' });
  const status = (await box.ok(['status', 'shop', '--json'])).json<StatusJson>();
  expect(status.inputs).toEqual({ queued: null, inFlight: null, done: null, failed: null, cancelled: null });
  expect(status.inputsNote).toMatch(
    /^not reported: no Python here can import modal \(.*No module named 'modal'\)/,
  );
  // Containers and versions do not need the SDK.
  expect(status.containers).toHaveLength(2);

  const text = await box.ok(['status', 'shop']);
  expect(text.stdout).toMatch(/inputs: not reported \(no Python here can import modal/);
  const snapshot = await box.firstSnapshot('shop');
  expect(snapshot.events.find((e) => e.kind === 'inputs-not-reported')?.message).toMatch(
    /No module named 'modal'/,
  );
  expect(snapshot.events.find((e) => e.kind === 'containers-split')?.message).toMatch(
    /told apart by start time against v3's deploy time/,
  );
});
