// stop, targets and refusals through the real `bin/cutover --platform modal` against the fake
// `modal`: what is sent (or, refused, never sent), the exit codes, what stays readable.
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

describe('stop', () => {
  test('T1: without --yes (and no terminal) it refuses and Modal is never asked', async () => {
    const b = start();
    const r = await b.run(['stop', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to stop shop without --yes/);
    expect(b.fake.calls().some((c) => c[0] === 'app' && c[1] === 'stop')).toBe(false);
  });

  test('T1: stop --yes → modal app stop shop --yes; it says a stopped app cannot start again; history stays', async () => {
    const b = start();
    b.fake.expectCall(['app', 'stop', 'shop', '--yes']);
    const r = await b.ok(['stop', 'shop', '--yes']);
    expect(r.stdout).toMatch(/A stopped Modal app cannot be started again/);
    b.fake.checkForMissingCalls();
    const status = (await b.ok(['status', 'shop', '--json'])).json<{
      status: string;
      containers: unknown[];
    }>();
    expect(status).toMatchObject({ status: 'stopped', containers: [] });
    expect((await history(b)).map((v) => [v.version, v.outcome])).toEqual([
      [3, 'superseded'],
      [2, 'superseded'],
      [1, 'superseded'],
    ]);
    const again = await b.run(['stop', 'shop', '--yes']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/shop is stopped; a stopped Modal app cannot be started again/);
  });
});

describe('targets and failures', () => {
  test('-e ENV is passed to every modal command; another environment does not have the app', async () => {
    const world = shopWorld({ timing: quick });
    world.environment = 'prod';
    const b = start(world);
    const r = await b.ok(['status', 'shop', '-e', 'prod', '--json']);
    expect(r.json()).toMatchObject({ app: 'shop', version: 3 });
    const modalCalls = b.fake.calls().filter((c) => c[0] !== 'python3');
    expect(modalCalls.length).toBeGreaterThan(0);
    for (const call of modalCalls) expect(call.slice(-3)).toContain('prod');
    const other = await b.run(['status', 'shop', '-e', 'staging']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/no deployed app named shop in Modal environment staging/);
  });

  test('an unknown app is exit 2; no modal on PATH is exit 2 naming pip install modal', async () => {
    const b = start();
    const unknown = await b.run(['status', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no deployed app named nope/);
    const missing = await b.run(['status', 'shop'], { PATH: '/nonexistent' });
    expect(missing.code, showRun(missing)).toBe(2);
    expect(missing.stderr).toMatch(/pip install modal/);
  });

  test('apps lists deployed and stopped apps; logs reads modal app logs, line by container', async () => {
    const b = start();
    const apps = (await b.ok(['apps', '--json'])).json();
    expect(apps).toEqual([
      { app: 'shop', appId: 'ap-SHOP0000000000000000001', status: 'deployed', version: null },
    ]);
    b.fake.expectCall(['app', 'logs', 'shop', '--show-container-id', '--tail', '5']);
    const logs = await b.ok(['logs', 'shop', '--tail', '5']);
    expect(logs.stdout.trim().split('\n').sort()).toEqual([
      '[ta-01SHOPOLD0] serving shop',
      '[ta-01SHOPOLD1] serving shop',
    ]);
    b.fake.checkForMissingCalls();
  });

  test('pause is unavailable on Modal, with the reason', async () => {
    const b = start();
    const r = await b.run(['pause', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Modal has no pause/);
  });
});
