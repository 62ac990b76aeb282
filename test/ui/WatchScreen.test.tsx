import './force-color.ts';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SpecSummary } from '../../src/engine/snapshot.ts';
import { keymap } from '../../src/ui/keymap.ts';
import { busy, containers, event, noInputs, now, rolling, snapshot, version, without } from './fixtures.ts';
import { keys, renderScreen, settle } from './render-screen.tsx';

afterEach(() => cleanup());

const colourCode = /\x1b\[(3[0-9]|9[0-7]|4[0-9]|38;|48;)/;

/** The help overlay's frames, scrolling with j until it has shown its last line. */
async function helpPages(screen: ReturnType<typeof renderScreen>): Promise<string[]> {
  const pages = [screen.frame()];
  while (/↓ \d+ more lines/.test(pages.at(-1)!) && pages.length < 20) {
    await screen.press('j');
    pages.push(screen.frame());
  }
  return pages;
}

describe('frames', () => {
  test('a steady app', () => {
    expect(renderScreen(snapshot()).frame()).toMatchInlineSnapshot(`
      "shop · local · v7 · steady · strategy rolling
      ▸ Containers old  new
      web          —    v7 ███ 3 ready
        container       ver  state                            age  restarts  in flight
      ▸ web-v7-ready-0  v7   █ ready                           1m         —          0
        web-v7-ready-1  v7   █ ready                           1m         —          0
        web-v7-ready-2  v7   █ ready                           1m         —          0
      Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 12ms  p95 40ms
      Chart  no metrics reported
      v5 deploy ana 5h ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h
      Events
      11:59:30       rollout of v7 done
      r rollback  o rollover  s stop  d deploy  l logs  h history  ? help  q quit"
    `);
  });

  test('a rolling deploy: old and new side by side, progress in the header', () => {
    expect(renderScreen(rolling()).frame()).toMatchInlineSnapshot(`
      "shop · local · v7 · v7 → v8 rolling 3/5 ready · strategy rolling
      ▸ Containers old                        new
      web          v7 ██▒ 2 ready 1 draining  v8 ███░░ 3 ready 2 starting
        container          ver  state (1–5 of 8)              age  restarts  in flight
      ▸ web-v7-ready-0     v7   █ ready                        1m         —          0
        web-v7-ready-1     v7   █ ready                        1m         —          0
        web-v7-draining-0  v7   ▒ draining                     1m         —          0
        web-v8-starting-0  v8   ░ not ready for 1m             1m         —          0
        web-v8-starting-1  v8   ░ not ready for 1m             1m         —          0
      Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 12ms  p95 40ms
      Chart  no metrics reported
      … ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h ─ ◐v8 deploy ana 20s
      Events
      11:59:30       rollout of v7 done
      r rollback  o rollover  p pause  s stop  d deploy  l logs  ? help  q quit"
    `);
  });

  test('a stopped app', () => {
    const stopped = snapshot({
      status: 'stopped',
      containers: [],
      inputs: {
        queued: 0,
        inFlight: 0,
        done: 1200,
        failed: 2,
        donePerSecond: 0,
        failedPerSecond: 0,
        p50: null,
        p95: null,
      },
      events: [event(5, 'app stopped by ana', 'warn')],
    });
    expect(renderScreen(stopped).frame()).toMatchInlineSnapshot(`
      "shop · local · v7 · stopped · strategy rolling
      ■ STOPPED this app is stopped; deploying the name creates a new app
      ▸ Containers old  new
      web          —    —
        no containers
      Inputs  queued 0  in flight 0  done/s 0.0  failed/s 0.0  p50 not reported
              p95 not reported
      Chart  no metrics reported
      v5 deploy ana 5h ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h
      Events
      11:59:55 warn  app stopped by ana
      d deploy  h history  c chart  tab focus  ? help  q quit"
    `);
  });

  test('a failed rollout', () => {
    const failed = snapshot({
      failed: { version: 8, reason: 'web crash-looped 5 times (exit 1)' },
      containers: [...rolling().containers.filter((c) => c.version === 7)],
      history: [
        version(8, { outcome: 'failed', createdAt: rolling().history[0]!.createdAt }),
        ...snapshot().history,
      ],
      events: [
        event(10, 'container web-3 exited with 1', 'error'),
        event(2, 'rollout of v8 failed', 'error'),
      ],
    });
    expect(renderScreen(failed).frame()).toMatchInlineSnapshot(`
      "shop · local · v7 · steady · strategy rolling
      ✗ ROLLOUT FAILED v8 web crash-looped 5 times (exit 1)
      ▸ Containers old  new
      web          —    v7 ██▒ 2 ready 1 draining
        container          ver  state                         age  restarts  in flight
      ▸ web-v7-ready-0     v7   █ ready                        1m         —          0
        web-v7-ready-1     v7   █ ready                        1m         —          0
        web-v7-draining-0  v7   ▒ draining                     1m         —          0
      Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 12ms  p95 40ms
      Chart  no metrics reported
      … ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h ─ ✗v8 deploy ana 20s
      Events
      11:59:50 error container web-3 exited with 1
      11:59:58 error rollout of v8 failed
      r rollback  o rollover  s stop  d deploy  l logs  h history  ? help  q quit"
    `);
  });

  test('a build running', () => {
    const building = snapshot({ building: { since: snapshot().at - 12_000, user: 'ana' } });
    expect(renderScreen(building).frame().split('\n').slice(0, 2).join('\n')).toMatchInlineSnapshot(`
      "shop · local · v7 · steady · strategy rolling
      ⧗ BUILDING image for ana's deploy, 12s"
    `);
  });

  test('a platform that reports no inputs', () => {
    const k8s = snapshot({
      platform: 'kubernetes',
      inputs: noInputs,
    });
    const frame = renderScreen(k8s, { deployDir: null }).frame();
    expect(frame).toMatchInlineSnapshot(`
      "shop · kubernetes · v7 · steady · strategy rolling
      ▸ Containers old  new
      web          —    v7 ███ 3 ready
        container       ver  state                            age  restarts  in flight
      ▸ web-v7-ready-0  v7   █ ready                           1m         —          0
        web-v7-ready-1  v7   █ ready                           1m         —          0
        web-v7-ready-2  v7   █ ready                           1m         —          0
      Inputs  not reported by this platform
      Chart  no metrics reported
      v5 deploy ana 5h ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h
      Events
      11:59:30       rollout of v7 done
      r rollback  o rollover  s stop  l logs  h history  c chart  ? help  q quit"
    `);
    expect(frame).not.toMatch(/queued 0/);
  });

  test('the too-small message at 59×17', () => {
    expect(renderScreen(busy(), { size: { columns: 59, rows: 17 } }).frame()).toBe(
      'Terminal too small: 59×17, cutover needs at least 60×18.',
    );
  });

  test('before the first snapshot', () => {
    expect(renderScreen(null, { error: 'daemon not reachable' }).frame()).toMatchInlineSnapshot(`
      "waiting for the first snapshot…
      daemon not reachable
      h history  c chart  tab focus  ? help  q quit"
    `);
  });
});

describe('height', () => {
  for (const [columns, rows] of [
    [80, 24],
    [60, 18],
    [100, 30],
    [120, 50],
  ] as const) {
    test(`a busy snapshot stays within ${rows - 1} lines at ${columns}×${rows}, history shown or not`, async () => {
      const screen = renderScreen(busy(), { size: { columns, rows } });
      const lines = () => screen.frame().split('\n');
      expect(lines().length).toBeLessThanOrEqual(rows - 1);
      expect(Math.max(...lines().map((l) => l.length))).toBeLessThanOrEqual(columns);
      await screen.press('h');
      expect(screen.frame()).toContain('version');
      expect(lines().length).toBeLessThanOrEqual(rows - 1);
      expect(Math.max(...lines().map((l) => l.length))).toBeLessThanOrEqual(columns);
      await screen.press('r');
      expect(lines().length).toBeLessThanOrEqual(rows - 1);
      await screen.press(keys.escape, 's');
      expect(lines().length).toBeLessThanOrEqual(rows - 1);
      await screen.press(keys.escape, '?');
      expect(lines().length).toBeLessThanOrEqual(rows - 1);
    });
  }

  test('the busy screen at 80×24 with history', async () => {
    const screen = renderScreen(busy());
    await screen.press('h');
    expect(screen.frame()).toMatchInlineSnapshot(`
      "shop · local · v7 · v7 → v8 rolling 3/5 ready · strategy rolling
      ▸ Containers old                           new
      web          v7 ████▒▒ 4 ready 2 draining  v8 ███░░ 3 ready 2 starting
      worker       v7 ████▒▒ 4 ready 2 draining  v8 ███░░ 3 ready 2 starting
      cron         v7 ████▒▒ 4 ready 2 draining  v8 ███░░ 3 ready 2 starting
      mailer       v7 ████▒▒ 4 ready 2 draining  v8 ███░░ 3 ready 2 starting
        container             ver  state (1–4 of 44)          age  restarts  in flight
      ▸ cron-v7-ready-0       v7   █ ready                     1m         —          0
        cron-v7-ready-1       v7   █ ready                     1m         —          0
        cron-v7-ready-2       v7   █ ready                     1m         —          0
        cron-v7-ready-3       v7   █ ready                     1m         —          0
      Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 12ms  p95 40ms
      … ─ v5 deploy ana 6m ─ v6 deploy ana 7m ─ ●v7 deploy ana 8m ─ ◐v8 deploy ana 20s
      History
      ┌─────────┬────────┬──────────┬──────┬─────┬─────────┬────────┐
      │ version │ kind   │ strategy │ user │ age │ outcome │ target │
      ├─────────┼────────┼──────────┼──────┼─────┼─────────┼────────┤
      │ v8      │ deploy │ rolling  │ ana  │ 20s │ rolling │        │
      └─────────┴────────┴──────────┴──────┴─────┴─────────┴────────┘
      7 older versions: cutover history shop
      Events
      11:59:59       event number 39
      r rollback  o rollover  p pause  s stop  d deploy  l logs  ? help  q quit"
    `);
  });
});

describe('colour', () => {
  test('NO_COLOR frames carry no colour codes; colour frames do', () => {
    expect(renderScreen(busy(), { color: false }).frame()).not.toMatch(/\x1b\[/);
    expect(renderScreen(busy(), { color: true }).frame()).toMatch(colourCode);
  });

  test('NO_COLOR holds in the history table, dialogs and help', async () => {
    const screen = renderScreen(busy(), { color: false });
    await screen.press('h');
    expect(screen.frame()).not.toMatch(/\x1b\[/);
    await screen.press('r');
    expect(screen.frame()).not.toMatch(/\x1b\[/);
    await screen.press(keys.escape, '?');
    expect(screen.frame()).not.toMatch(/\x1b\[/);
  });
});

describe('keys', () => {
  test('r pre-selects the previous version, j moves, enter rolls back to the chosen one', async () => {
    const screen = renderScreen(rolling());
    await screen.press('r');
    expect(screen.frame()).toContain('▸ v7 ↺v5');
    await screen.press('j');
    expect(screen.frame()).toContain('▸ v6');
    await screen.press(keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 6 }]]);
    expect(screen.frame()).toContain('v9 created (rollback to v6)');
  });

  test('r then y confirms the pre-selected version: one key plus one confirmation', async () => {
    const screen = renderScreen(rolling());
    await screen.press('r', 'y');
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 7 }]]);
  });

  test('r and enter in ONE write (typed fast or pasted): the enter reaches the dialog r opened', async () => {
    const screen = renderScreen(rolling());
    screen.stdin.write(`r${keys.enter}`);
    await settle(100);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 7 }]]);
    // The dialog closed and the status line reports the (fake) reply.
    expect(screen.frame()).toContain('v9 created');
    expect(screen.frame()).not.toContain('Roll back shop');
  });

  test('s and the name and enter in ONE write stop the app; the name alone does not', async () => {
    const screen = renderScreen(snapshot());
    screen.stdin.write('sshop');
    await settle(100);
    expect(screen.frame()).toContain('> shop');
    expect(screen.onCommand).not.toHaveBeenCalled();
    screen.stdin.write(keys.enter);
    await settle(100);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'app.stop' }]]);
  });

  test('arrows move the rollback choice too', async () => {
    const screen = renderScreen(rolling());
    await screen.press('r', keys.down, keys.down, keys.up, keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 6 }]]);
  });

  test('esc cancels a rollback without a command', async () => {
    const screen = renderScreen(rolling());
    await screen.press('r', keys.escape);
    expect(screen.frame()).not.toContain('Roll back shop');
    expect(screen.onCommand).not.toHaveBeenCalled();
  });

  test("a refusal is reported with the engine's message", async () => {
    const screen = renderScreen(rolling());
    screen.onCommand.mockResolvedValueOnce({
      ok: false,
      app: 'shop',
      code: 'superseded',
      message: 'another rollback won: v9',
    });
    await screen.press('r', keys.enter);
    expect(screen.frame()).toContain('another rollback won: v9');
  });

  test('s: a wrong name does not stop the app, the right one does', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('s', 'shp', keys.enter);
    expect(screen.onCommand).not.toHaveBeenCalled();
    expect(screen.frame()).toContain('> shp');
    await screen.press(keys.backspace, keys.backspace, 'hop', keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'app.stop' }]]);
  });

  test('s: esc cancels', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('s', 'shop', keys.escape, keys.enter);
    expect(screen.onCommand).not.toHaveBeenCalled();
  });

  test('o: rollover picks a strategy with ←/→ and enter confirms', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('o');
    expect(screen.frame()).toContain('[rolling]');
    await screen.press(keys.right);
    expect(screen.frame()).toContain('[recreate]');
    await screen.press(keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollover', strategy: 'recreate' }]]);
  });

  test('o: esc cancels', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('o', keys.tab, keys.escape);
    expect(screen.onCommand).not.toHaveBeenCalled();
  });

  test('d deploys again after a confirmation when the directory is known', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('d', keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'app.deploy' }]]);
  });

  test('d says why when there is no deploy directory', async () => {
    const screen = renderScreen(snapshot(), { deployDir: null });
    await screen.press('d');
    expect(screen.onCommand).not.toHaveBeenCalled();
    expect(screen.frame()).toContain('deploy: not a local app');
  });

  test('q quits and never sends a command; so does ctrl-c', async () => {
    const screen = renderScreen(rolling());
    await screen.press('q', keys.ctrlC);
    expect(screen.onQuit).toHaveBeenCalledTimes(2);
    expect(screen.onCommand).not.toHaveBeenCalled();
  });

  test('keys typed into the stop dialog do not reach the screen (q does not quit)', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('s', 'q');
    expect(screen.onQuit).not.toHaveBeenCalled();
    expect(screen.frame()).toContain('> q');
  });

  test('? lists every keymap entry; esc closes', async () => {
    const screen = renderScreen(rolling());
    await screen.press('?');
    const frame = screen.frame();
    expect(frame).toMatchInlineSnapshot(`
      "shop · local · v7 · v7 → v8 rolling 3/5 ready · strategy rolling
      Keys  (esc or ? closes)
      r           Roll back to the previous version, or pick an earlier one [confirms]
      o           Replace every container with the same spec (rolling or recreate)
                  [confirms]
      p           Pause the rolling rollout in progress (nothing starts or drains), or
                  resume it
      s           Stop the app for good (type the app's name to confirm) [confirms]
      d           Deploy again from the app directory [confirms]
      l / enter   Open the selected container's output, following it (esc closes)
      h           Show or hide the history table
      c           Chart the next series: ready per version, queued, done/s, failed/s,
                  p95
      j / ↓       Select the next container (or scroll the focused panel)
      k / ↑       Select the previous container (or scroll the focused panel)
      pgdn        One page down in the focused panel
      pgup        One page up in the focused panel
      tab         Move the focus to the next panel
      ?           Show or hide this help
      esc         Back to the overview of every app (when opened from it) — not opened
                  from the overview
      ↓ 18 more lines · j/k scroll · esc closes
      j/↓ k/↑ scroll  esc/? closes"
    `);
    const all = (await helpPages(screen)).join('\n');
    for (const binding of keymap) expect(all).toContain(binding.description.slice(0, 40));
    await screen.press(keys.escape);
    expect(screen.frame()).not.toContain('esc or ? closes');
  });

  test('tab moves the focus marker between panels', async () => {
    const screen = renderScreen(snapshot());
    expect(screen.frame()).toContain('▸ Containers');
    await screen.press(keys.tab);
    expect(screen.frame()).toContain('▸ Events');
    await screen.press('h', keys.tab);
    expect(screen.frame()).toContain('▸ Containers');
    await screen.press(keys.tab);
    expect(screen.frame()).toContain('▸ History');
  });

  test('on a stopped app, r, o and s say why and do nothing', async () => {
    const screen = renderScreen(snapshot({ status: 'stopped' }));
    await screen.press('r');
    expect(screen.frame()).toContain('rollback: app is stopped');
    await screen.press('o', 's');
    expect(screen.onCommand).not.toHaveBeenCalled();
    expect(screen.frame()).toContain('stop: app is stopped');
  });
});

describe('B1 rollback dialog', () => {
  /** v2 active; a rollback v3 → v1 rolls out. */
  const rollingBack = () =>
    snapshot({
      version: 2,
      rollout: {
        from: 2,
        to: 3,
        kind: 'rollback',
        strategy: 'rolling',
        phase: 'rolling',
        ready: 1,
        target: 3,
        startedAt: now - 5_000,
      },
      rollbackTarget: 1,
      history: [
        version(3, { kind: 'rollback', rollbackOf: 1, outcome: 'rolling', activatedAt: null }),
        version(2, { outcome: 'active', activatedAt: now - 60_000 }),
        version(1, { activatedAt: now - 3_600_000 }),
      ],
    });

  test("during a rollback v3 → v1, r pre-selects the engine's own default (v1), never v2, the version being left", async () => {
    const screen = renderScreen(rollingBack());
    await screen.press('r');
    expect(screen.frame()).toContain('▸ v1');
    await screen.press(keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 1 }]]);
  });

  test('a version that never went active is marked; a failed one asks once more, with a warning', async () => {
    const s = snapshot({
      version: 3,
      rollbackTarget: 1,
      history: [
        version(3, { outcome: 'active', activatedAt: now - 60_000 }),
        version(2, { outcome: 'failed', activatedAt: null }),
        version(1, { activatedAt: now - 3_600_000, kind: 'deploy' }),
      ],
    });
    const screen = renderScreen(s);
    await screen.press('r');
    expect(screen.frame()).toMatch(/v2 .*failed.*never active/);
    expect(screen.frame()).toContain('▸ v1');
    await screen.press('k', keys.enter);
    expect(screen.onCommand).not.toHaveBeenCalled();
    expect(screen.frame()).toMatch(/v2's rollout failed/);
    await screen.press(keys.enter);
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.rollback', to: 2 }]]);
  });
});

describe('a lost feed', () => {
  test('the screen says at once that its data is stale, how old it is, and that it reconnects', () => {
    const stale = {
      message: 'lost the connection to the daemon; reconnecting (attempt 2)…',
      since: now - 12_000,
    };
    const frame = renderScreen(rolling(), { stale }).frame();
    expect(frame.split('\n')[1]).toBe(
      '⚠ STALE data from 12s ago · lost the connection to the daemon; reconnecting (at…',
    );
  });

  test('stale values are greyed; live ones are not', () => {
    const stale = { message: 'reconnecting (attempt 1)…', since: now - 3_000 };
    const grey = /\x1b\[90m/;
    const live = renderScreen(rolling(), { color: true }).frame();
    const greyed = renderScreen(rolling(), { color: true, stale }).frame();
    const containersRow = (f: string) => f.split('\n').find((l) => l.includes('web '))!;
    expect(containersRow(live)).not.toMatch(grey);
    expect(containersRow(greyed)).toMatch(grey);
    expect(containersRow(greyed)).not.toMatch(/\x1b\[(32|94)m/);
  });
});

/** A dialog's text with its border and line breaks taken out, as one line. */
function dialogText(frame: string): string {
  return frame
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.replace(/^│ /, '').replace(/ *│$/, '').trim())
    .join(' ');
}

describe('o and d mid-rollout', () => {
  test('o says what is in progress and what the new version will run', async () => {
    const screen = renderScreen(rolling());
    await screen.press('o');
    expect(dialogText(screen.frame())).toContain(
      "v8 is rolling out (3/5 ready); a rollover starts v9 with v8's spec and supersedes it",
    );
  });

  test('d says what is in progress and what the new version will run', async () => {
    const screen = renderScreen(rolling());
    await screen.press('d');
    expect(dialogText(screen.frame())).toContain(
      'v8 is rolling out (3/5 ready); a deploy builds /srv/shop and rolls out its spec as v9, superseding it',
    );
  });

  test('steady: o names the version whose spec it reuses', async () => {
    const screen = renderScreen(snapshot());
    await screen.press('o');
    expect(dialogText(screen.frame())).toContain("v8 replaces every container with v7's spec");
  });

  test('the header names the spec a rollover runs (not the version it rolls from)', () => {
    const s = rolling({
      rollout: { ...rolling().rollout!, to: 9, kind: 'rollover', specOf: 8 },
    });
    expect(renderScreen(s).frame().split('\n')[0]).toBe(
      "shop · local · v7 · v7 → v9 rolling 3/5 ready (rollover of v8's spec) · strateg…",
    );
  });
});

describe('text at 80 columns and below', () => {
  /** The frame's lines joined, so a wrapped sentence reads as one. */
  const joined = (frame: string) =>
    frame
      .split('\n')
      .map((l) => l.replace(/^│ /, '').replace(/ *│$/, '').trim())
      .join(' ');

  test('? wraps every description instead of cutting it', async () => {
    const screen = renderScreen(rolling());
    await screen.press('?');
    const all = (await helpPages(screen)).map(joined).join(' ');
    for (const binding of keymap) expect(all).toContain(binding.description);
    expect(all).not.toContain('…');
  });

  test("the stop dialog's consequences are whole", async () => {
    const screen = renderScreen(snapshot());
    await screen.press('s');
    expect(joined(screen.frame())).toContain(
      'Stop shop? Containers drain, then terminate; queued inputs get "app stopped".',
    );
  });

  test('too small: the message names the size it needs, even at 40 columns', () => {
    const frame = renderScreen(busy(), { size: { columns: 40, rows: 10 } }).frame();
    expect(joined(frame)).toContain('needs at least 60×18');
    expect(joined(frame)).toContain('40×10');
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  test('the failure reason is shown whole at 60 columns', () => {
    const reason =
      "web containers failed 3 times (last: exited (code 3): Error: Cannot find module 'express')";
    const frame = renderScreen(snapshot({ failed: { version: 8, reason } }), {
      size: { columns: 60, rows: 24 },
    }).frame();
    expect(joined(frame)).toContain(reason);
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  test('the history panel says how many more versions there are', async () => {
    const screen = renderScreen(busy());
    await screen.press('h');
    expect(screen.frame()).toContain('7 older versions: cutover history shop');
  });

  test('the status line clears when the next key is pressed', async () => {
    const screen = renderScreen(rolling());
    await screen.press('r', keys.enter);
    expect(screen.frame()).toContain('v9 created');
    await screen.press('h');
    expect(screen.frame()).not.toContain('v9 created');
  });
});

describe('the containers table', () => {
  /** v7 → v8: two old containers, a crash-looping new one and its replacement. */
  const crashLooping = () =>
    rolling({
      functions: [{ name: 'web', url: null, target: 3, concurrency: 8, startTimeoutMs: 30_000 }],
      containers: [
        {
          id: 'shop-web-12',
          function: 'web',
          version: 8,
          state: 'starting',
          inFlight: 0,
          startedAt: now - 12_000,
          reason: 'readiness: HTTP 503 from /healthz',
          restarts: 3,
        },
        {
          id: 'shop-web-11',
          function: 'web',
          version: 8,
          state: 'failed',
          inFlight: 0,
          startedAt: null,
          reason: 'exited (code 3)',
          restarts: 3,
        },
        {
          id: 'shop-web-2',
          function: 'web',
          version: 7,
          state: 'ready',
          inFlight: 4,
          startedAt: now - 3_600_000,
          restarts: 0,
        },
        {
          id: 'shop-web-1',
          function: 'web',
          version: 7,
          state: 'ready',
          inFlight: 2,
          startedAt: now - 3_600_000,
          restarts: 0,
        },
      ],
    });

  test('one row per container, old version first, each with its state and why, age, restarts, in flight', () => {
    const lines = renderScreen(crashLooping()).frame().split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith('container'));
    expect(lines.slice(at, at + 5)).toEqual([
      '  container    ver  state                               age  restarts  in flight',
      '▸ shop-web-1   v7   █ ready                              1h         0          2',
      '  shop-web-2   v7   █ ready                              1h         0          4',
      '  shop-web-11  v8   ✗ exited (code 3)                     —        ↺3          0',
      '  shop-web-12  v8   ░ not ready for 12s of 30s · rea…   12s        ↺3          0',
    ]);
  });

  test("j/k and the arrows move the selection; l opens the selected container's logs", async () => {
    const onLogs = vi.fn<(c: string | null) => void>();
    const screen = renderScreen(crashLooping(), { onLogs });
    await screen.press('j', 'j', keys.down, 'k');
    expect(screen.frame()).toMatch(/▸ shop-web-11 /);
    await screen.press('l');
    expect(onLogs.mock.calls).toEqual([['shop-web-11']]);
    expect(screen.frame()).toContain('Logs shop-web-11 · following · esc closes');
    expect(screen.frame()).toContain('no output yet');
    await screen.press(keys.escape);
    expect(onLogs.mock.calls.at(-1)).toEqual([null]);
    expect(screen.frame()).not.toContain('Logs shop-web-11');
  });

  test('the logs pane shows the output, newest last, cleaned of escape codes', () => {
    const logs = {
      container: 'shop-web-1',
      lines: ['starting', "\x1b[31mError: Cannot find module 'express'\x1b[0m", 'exit 3'],
      state: 'following' as const,
    };
    const screen = renderScreen(crashLooping(), { logs });
    screen.stdin.write('l');
    return settle(100).then(() => {
      const frame = screen.frame();
      expect(frame).toContain("Error: Cannot find module 'express'");
      expect(frame).not.toContain('[31m');
      expect(frame.indexOf('starting')).toBeLessThan(frame.indexOf('exit 3'));
    });
  });

  test('more containers than fit: the table scrolls with PgDn and says which rows it shows', async () => {
    const many = rolling({ containers: containers('web', 8, 'ready', 14) });
    const screen = renderScreen(many);
    expect(screen.frame()).toMatch(/state \(1–\d of 14\)/);
    await screen.press(keys.pageDown, keys.pageDown);
    expect(screen.frame()).toMatch(/state \(\d+–\d+ of 14\)/);
    expect(screen.frame()).not.toMatch(/state \(1–/);
    expect(screen.frame()).toMatch(/▸ web-v8-ready-\d+/);
  });

  test("the failure banner carries the failing container's last output and its probe's last answer", () => {
    const failed = snapshot({
      failed: {
        version: 8,
        reason: 'web containers failed 3 times (last: not ready after 30s)',
        container: 'shop-web-11',
        probe: 'HTTP 503 from /healthz: "db not reachable"',
      },
    });
    const frame = renderScreen(failed, {
      failureOutput: {
        container: 'shop-web-11',
        lines: ['connecting to db…', 'Error: ECONNREFUSED 10.0.0.5:5432'],
      },
    }).frame();
    expect(frame).toContain('✗ ROLLOUT FAILED v8 web containers failed 3 times');
    expect(frame).toContain('  shop-web-11 › Error: ECONNREFUSED 10.0.0.5:5432');
    expect(frame).toContain('  last probe: HTTP 503 from /healthz: "db not reachable"');
  });
});

describe('what a rollback or rollover changes', () => {
  const flat = (frame: string) => dialogText(frame).replace(/ +/g, ' ');
  const spec = (over: Partial<SpecSummary> = {}): SpecSummary => ({
    image: `sha256:${'a'.repeat(64)}`,
    functions: [{ name: 'web', command: 'node server.js', containers: 3, concurrency: 8 }],
    env: { GREETING: 'hello', MODE: 'fast' },
    secrets: { STRIPE_KEY: 'fp-one' },
    template: '5:hash5',
    outside: ["secret values (read from the daemon's environment at start)"],
    ...over,
  });
  const withSpecs = () =>
    snapshot({
      version: 7,
      rollbackTarget: 6,
      history: [
        version(7, {
          outcome: 'active',
          spec: spec({
            image: `sha256:${'b'.repeat(64)}`,
            env: { GREETING: 'hi', DEBUG: '1', MODE: 'fast' },
            functions: [{ name: 'web', command: 'node server.js', containers: 5, concurrency: 4 }],
            secrets: { STRIPE_KEY: 'fp-two' },
            template: '7:hash7',
          }),
        }),
        version(6, { spec: spec({ template: '6:hash6' }) }),
        version(5, { spec: spec() }),
      ],
    });

  test('the rollback dialog shows image, functions, env old → new, secrets that differ, containers and what is not undone', async () => {
    const screen = renderScreen(withSpecs(), { size: { columns: 100, rows: 30 } });
    await screen.press('r');
    const text = flat(screen.frame());
    expect(text).toContain('What changes, v7 → v6:');
    expect(text).toContain('image sha256:bbbbbbbbbbbb… → sha256:aaaaaaaaaaaa…');
    expect(text).toContain('function web containers 5 → 3, concurrency 4 → 8');
    expect(text).toContain('env -DEBUG · GREETING "hi" → "hello"');
    expect(text).toContain('secrets STRIPE_KEY differs');
    expect(text).toContain('containers all 3 running containers are replaced');
    expect(text).toContain("not undone secret values (read from the daemon's environment at start)");
    expect(text).not.toContain('fp-one');
  });

  test('a target with the running template: identical, nothing changes', async () => {
    const s = withSpecs();
    s.history[2] = version(5, { spec: s.history[0]!.spec! });
    const screen = renderScreen(s, { size: { columns: 100, rows: 30 } });
    await screen.press('r', 'j');
    expect(flat(screen.frame())).toContain(
      'identical to what runs now (v7): nothing changes, no new version',
    );
  });

  test('containers of the target template are kept', async () => {
    const s = rolling({
      history: [
        version(8, { outcome: 'rolling', createdAt: now - 20_000, spec: spec({ template: '8:x' }) }),
        version(7, { outcome: 'active', spec: spec({ template: '7:y' }) }),
      ],
    });
    const screen = renderScreen(s, { size: { columns: 100, rows: 30 } });
    await screen.press('r');
    expect(flat(screen.frame())).toContain('containers keeps 2 running (same template as v7); replaces 5');
  });

  test('the rollover dialog says nothing in the spec changes and every container is replaced', async () => {
    const screen = renderScreen(withSpecs(), { size: { columns: 100, rows: 30 } });
    await screen.press('o');
    const text = flat(screen.frame());
    expect(text).toContain("spec the same as v7's: nothing in it changes");
    expect(text).toContain('containers all 3 running containers are replaced');
  });
});

describe('P1 pause', () => {
  test('p pauses a rolling rollout; paused, the header says so and what is left; p resumes', async () => {
    const screen = renderScreen(rolling());
    await screen.press('p');
    expect(screen.onCommand.mock.calls).toEqual([[{ id: 'rollout.pause' }]]);
    const paused = renderScreen(rolling({ paused: true }));
    const lines = paused.frame().split('\n');
    expect(lines[0]).toBe('shop · local · v7 · v7 → v8 PAUSED 3/5 ready · strategy rolling');
    expect(lines[1]).toBe('‖ PAUSED v8: 2 new containers to start or get ready, 2 old to drain · p resumes');
    expect(paused.frame()).toContain('p resume');
    await paused.press('p');
    expect(paused.onCommand.mock.calls).toEqual([[{ id: 'rollout.resume' }]]);
  });

  test('where the platform cannot pause, or nothing rolls out, p says why', async () => {
    const screen = renderScreen(rolling(), { capabilities: without('pause', 'Fly has no pause') });
    await screen.press('p');
    expect(screen.frame()).toContain('pause: Fly has no pause');
    const steady = renderScreen(snapshot());
    await steady.press('p');
    expect(steady.frame()).toContain('pause: no rollout in progress');
    expect(steady.onCommand).not.toHaveBeenCalled();
  });
});

describe('read-only', () => {
  const readonly = 'target prod is read-only';

  test('the keys that change the app are hidden from the footer and the help, and refuse with the reason', async () => {
    const screen = renderScreen(rolling(), { readonly });
    const footer = () => screen.frame().split('\n').at(-1)!;
    for (const key of ['r rollback', 'o rollover', 'p pause', 's stop', 'd deploy'])
      expect(footer()).not.toContain(key);
    expect(footer()).toContain('? help');
    await screen.press('r');
    expect(screen.frame()).not.toContain('Roll back shop');
    expect(screen.frame()).toContain('rollback: read-only: target prod is read-only');
    await screen.press('s', 'o', 'p', 'd');
    expect(screen.onCommand).not.toHaveBeenCalled();
    await screen.press('?');
    expect(screen.frame()).not.toContain('Roll back to the previous version');
    expect(screen.frame()).not.toContain('Stop the app for good');
    expect(screen.frame()).toContain('read-only: target prod is read-only');
  });
});

describe('help', () => {
  test('? explains every symbol the screen draws, and every key', async () => {
    const screen = renderScreen(rolling(), { size: { columns: 100, rows: 60 } });
    await screen.press('?');
    const frame = screen.frame();
    for (const symbol of ['● ', '◐ ', '✗ ', '↺ ', '▲ ', '░ ', '█ ', '▒ ', '‖ ', '⚠ ', '— ']) {
      expect(frame, symbol).toMatch(new RegExp(`(^|  )${symbol}\\S`, 'm'));
    }
    for (const binding of keymap) expect(frame).toContain(binding.description);
  });

  test('an unknown key flashes a hint', async () => {
    const screen = renderScreen(rolling());
    await screen.press('x');
    expect(screen.frame()).toContain('x: no such key here; ? lists the keys');
  });

  test('while a dialog or pane is open, the footer shows only its keys', async () => {
    const screen = renderScreen(rolling());
    const footer = () => screen.frame().split('\n').at(-1)!;
    await screen.press('r');
    expect(footer()).toBe('j/↓ older  k/↑ newer  enter/y confirms  esc cancels');
    await screen.press(keys.escape, 's');
    expect(footer()).toBe('esc cancels');
    await screen.press(keys.escape, 'l');
    expect(footer()).toBe('j/↓ k/↑ pgdn pgup scroll  esc closes  ? help');
  });
});
