// The real `cutover demo` in a real pseudo-terminal at 100×30: the screen a person sees, the keys
// they press (by keymap id), and what the CLI reports afterwards with the same CUTOVER_HOME.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { leaveScreen } from '../../src/ui/terminal.ts';
import { spawnTerminal, type Terminal } from '../helpers/terminal.ts';
import { dialogKeyOf, keyOf } from './keys.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'cutover.js');
const cols = 100;
const rows = 30;
// The example's cold start is 2.5 s; under test a shorter one keeps the rollout visible but brief.
const coldStartMs = '800';
const slow = 120_000;

let home = '';
let term: Terminal | null = null;

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, CUTOVER_HOME: home },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

function startDemo(): Terminal {
  home = mkdtempSync(join(tmpdir(), 'cutover-e2e-'));
  term = spawnTerminal({
    file: process.execPath,
    args: [bin, 'demo'],
    cols,
    rows,
    cwd: root,
    env: { CUTOVER_HOME: home, CUTOVER_DEMO_COLD_START_MS: coldStartMs },
  });
  return term;
}

afterEach(() => {
  term?.dispose();
  term = null;
  if (home === '') return;
  try {
    cli('daemon', 'stop', '--apps');
  } finally {
    rmSync(home, { recursive: true, force: true });
    home = '';
  }
});

/** The daemon runs and the app still has ready containers: quitting changed nothing. */
function expectAppStillRunning(): void {
  expect(JSON.parse(cli('daemon', 'status', '--json'))).toMatchObject({ running: true });
  const status = JSON.parse(cli('status', 'shop', '--json')) as {
    status: string;
    containers: { state: string }[];
  };
  expect(status.status).toBe('deployed');
  expect(status.containers.filter((c) => c.state === 'ready').length).toBeGreaterThan(0);
}

/** The whole frame is in place: header on the top row, each panel once, the footer last. */
function expectOneWholeFrame(t: Terminal): void {
  const screen = t.screen().split('\n');
  expect(screen[0]).toMatch(/^shop · local · v\d+/);
  expect(screen.filter((l) => l.startsWith('shop · local')).length).toBe(1);
  expect(screen.filter((l) => l.includes('Containers')).length).toBe(1);
  expect(screen.at(-1)).toMatch(/\? help {2}q quit$/);
  expect(screen.length).toBeLessThanOrEqual(rows - 1);
}

describe('cutover demo in a pseudo-terminal', () => {
  test(
    'rollback mid-rollout by keymap id, confirmed: v3 rolls back to v1; quitting leaves the app running',
    async () => {
      const t = startDemo();
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      expectOneWholeFrame(t);

      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      expect(t.screen()).toMatch(/▸ v1 {2}deploy/);
      t.write(dialogKeyOf('dialog.confirm'));

      await t.waitFor('v3 created (rollback to v1)', { timeoutMs: 30_000 });
      await t.waitFor(/●v3 ↺v1 rollback/, { timeoutMs: 30_000 });
      expect(t.line(0)).toMatch(/^shop · local · v3 /);
      expectOneWholeFrame(t);

      const history = JSON.parse(cli('history', 'shop', '--json')) as {
        version: number;
        kind: string;
        rollbackOf: number | null;
      }[];
      expect(history[0]).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 1 });

      t.write(keyOf('app.quit'));
      expect(await t.exited).toEqual({ exitCode: 0 });
      expect(t.altScreen()).toBe(false);
      expect(t.cursorVisible()).toBe(true);
      expectAppStillRunning();
    },
    slow,
  );

  test(
    'too small: one line asks for more room; back to 100×30 the full screen returns; SIGHUP restores the terminal',
    async () => {
      const t = startDemo();
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });

      t.resize(59, 17);
      await t.waitFor('Terminal too small');
      expect(t.screen()).toBe('Terminal too small: 59×17, cutover needs at least 60×18.');

      t.resize(cols, rows);
      await t.waitFor(/\? help {2}q quit/);
      expect(t.screen()).not.toContain('too small');
      expectOneWholeFrame(t);

      // A dropped SSH connection: the terminal goes away with a hangup.
      t.kill('SIGHUP');
      const exit = await t.exited;
      expect(exit.exitCode === 129 || exit.signal === 1).toBe(true);
      // The output ends with leaving the alternate screen and showing the cursor (Ink's own
      // exit hook shows the cursor once more after that).
      const tail = t.output.slice(t.output.lastIndexOf(leaveScreen));
      expect(tail).toMatch(/^\x1b\[\?1049l(\x1b\[\?25h)+$/);
      expect(t.altScreen()).toBe(false);
      expect(t.cursorVisible()).toBe(true);
      expectAppStillRunning();
    },
    slow,
  );

  test(
    'a steady rollout is redrawn in place: no full-screen clear after the first frame, no frame taller than rows - 1',
    async () => {
      const t = startDemo();
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      // The rollout runs to its end under load: every container of v2 ready, v1's drained.
      await t.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });
      await t.flush();
      // Dozens of redraws later the frame is still where the first one was.
      expectOneWholeFrame(t);
      const output = t.output;
      t.write(keyOf('app.quit'));
      expect(await t.exited).toEqual({ exitCode: 0 });

      // Ink brackets every frame with synchronized-output marks.
      const screenStart = output.indexOf('\x1b[?1049h');
      expect(screenStart).toBeGreaterThanOrEqual(0);
      const frames = [...output.slice(screenStart).matchAll(/\x1b\[\?2026h([\s\S]*?)\x1b\[\?2026l/g)].map(
        (m) => m[1]!,
      );
      expect(frames.length).toBeGreaterThan(5);
      const clears = /\x1b\[2J|\x1b\[3J|\x1bc/;
      expect(frames.slice(1).filter((f) => clears.test(f))).toEqual([]);
      const afterFirst = output.slice(output.indexOf(frames[0]!) + frames[0]!.length);
      expect(afterFirst).not.toMatch(clears);
      // Each line a frame writes ends in a newline or a next-line: that many rows, at most rows - 1.
      const heights = frames.map((f) => (f.match(/\n|\x1b\[E/g) ?? []).length);
      expect(Math.max(...heights)).toBeLessThanOrEqual(rows - 1);
      expect(Math.max(...heights)).toBeGreaterThan(rows / 2);
    },
    slow,
  );
});
