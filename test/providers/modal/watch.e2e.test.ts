// The real `cutover watch shop --platform modal` in a real pseudo-terminal at 100×30, while the
// real `cutover deploy` and `cutover rollover` change the fake Modal app: the screen a person
// sees goes through each step of a rolling deploy and of a recreate, and the chart carries a
// marker for each new version (M2, Modal's "Show Deployments" overlay).
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { shopWorld } from '../../fakes/modal/scenarios.ts';
import { spawnTerminal, type Terminal } from '../../helpers/terminal.ts';
import { showRun } from '../../local/platform/cli.ts';
import { type ModalBox, modalBox } from './modal-box.ts';

const bin = resolve(import.meta.dirname, '../../../bin/cutover.js');
// Slow enough that each step lasts several polls (cutover looks every 2 s).
const timing = { buildMs: 1000, startMs: 6000, stopMs: 3000, drainMs: 3000 };
const step = { timeoutMs: 60_000 };

let box: ModalBox | null = null;
let term: Terminal | null = null;
afterEach(() => {
  term?.dispose();
  term = null;
  box?.dispose();
  box = null;
});

function watch(b: ModalBox): Terminal {
  term = spawnTerminal({
    file: process.execPath,
    args: [bin, 'watch', 'shop', '--platform', 'modal'],
    cols: 100,
    rows: 30,
    cwd: b.home,
    env: { ...b.fake.env, CUTOVER_HOME: b.home },
  });
  return term;
}

/** The Containers panel's row for `web`. */
const webRow = (t: Terminal) =>
  t
    .screen()
    .split('\n')
    .find((l) => /^web\s/.test(l)) ?? '';

test('S1 and S2 on Modal, watched start to end: a rolling deploy, then a recreate, each marked on the chart', async () => {
  const b = modalBox(shopWorld({ timing, load: 6 }));
  box = b;
  const t = watch(b);
  await t.waitFor(/shop · modal · v3 · steady/, step);
  expect(webRow(t)).toMatch(/v3 ██ 2 ready/);
  await t.waitFor(/queued 0 {2}in flight 6/, step);

  // S1 rolling: the new version's containers start beside the old, which drain as they are replaced.
  const deploy = b.run(['deploy', join(b.code, 'shop.py')]);
  await t.waitFor(/v3 → v4 (starting|rolling)/, step);
  await t.waitFor(/v3 ▒+ \d draining\s+v4 .*starting/, step);
  await t.waitFor(/shop · modal · v4 · steady/, step);
  expect(webRow(t)).toMatch(/—\s+v4 ██ 2 ready/);
  await t.waitFor(/▲v4/, step);
  const deployed = await deploy;
  expect(deployed.code, showRun(deployed)).toBe(0);

  // S2 recreate: old containers go, inputs queue while nothing runs, new ones start.
  const rollover = b.run(['rollover', 'shop', '--strategy', 'recreate']);
  await t.waitFor(/v4 → v5 recreating .*\(rollover\)/, step);
  await t.waitFor(/container ta-\w+ gone \(v4\)/, step);
  await t.waitFor(/queued 6 {2}in flight 0/, step);
  await t.waitFor(/v5 ░+ \d starting/, step);
  await t.waitFor(/shop · modal · v5 · steady/, step);
  await t.waitFor(/queued 0 {2}in flight 6/, step);
  const rolledOver = await rollover;
  expect(rolledOver.code, showRun(rolledOver)).toBe(0);

  // Both versions are marked where they began, under the chart's time axis.
  await t.waitFor(/▲v4.*▲v5/, step);
  b.fake.checkForMissingCalls();
}, 240_000);
