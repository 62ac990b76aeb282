// The real `cutover demo` in a real pseudo-terminal at 100×30: the screen a person sees, the keys
// they press (by keymap id), and what the CLI reports afterwards with the same CUTOVER_HOME.
import { afterEach, describe, expect, test } from 'vitest';
import { leaveScreen } from '../../src/ui/terminal.ts';
import { replayFrames } from '../helpers/replay-frames.ts';
import {
  cols,
  expectAppStillRunning,
  expectOneWholeFrame,
  rows,
  slow,
  startDemo,
  stopDemos,
} from './demo.ts';
import { dialogKeyOf, keyOf } from './keys.ts';

afterEach(stopDemos);

describe('cutover demo in a pseudo-terminal', () => {
  test(
    'rollback mid-rollout by keymap id, confirmed: v3 rolls back to v1; quitting leaves the app running',
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      await expectOneWholeFrame(t);

      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      expect(t.screen()).toMatch(/▸ v1 {2}deploy/);
      // What the rollback changes, before it is confirmed: v2 differs from v1 in its image only.
      expect(t.screen()).toMatch(/What changes, v2 → v1:/);
      expect(t.screen()).toMatch(/image +sha256:[0-9a-f]{12}… → sha256:[0-9a-f]{12}…/);
      expect(t.screen()).toMatch(/containers +keeps \d running \(same template as v1\); replaces \d/);
      t.write(dialogKeyOf('dialog.confirm'));

      await t.waitFor('v3 created (rollback to v1)', { timeoutMs: 30_000 });
      await t.waitFor(/●v3 ↺v1 rollback/, { timeoutMs: 30_000 });
      expect(t.line(0)).toMatch(/^shop · local · v3 /);
      await expectOneWholeFrame(t);

      const history = JSON.parse(demo.cli('history', 'shop', '--json')) as {
        version: number;
        kind: string;
        rollbackOf: number | null;
      }[];
      expect(history[0]).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 1 });

      t.write(keyOf('app.quit'));
      expect(await t.exited).toEqual({ exitCode: 0 });
      expect(t.altScreen()).toBe(false);
      expect(t.cursorVisible()).toBe(true);
      expectAppStillRunning(demo);
    },
    slow,
  );

  test(
    'too small: one line asks for more room; back to 100×30 the full screen returns; SIGHUP restores the terminal',
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });

      t.resize(59, 17);
      await t.waitFor('Terminal too small');
      expect(t.screen()).toBe('Terminal too small: 59×17, cutover needs at least 60×18.');

      t.resize(cols, rows);
      await t.waitFor(/\? help {2}q quit/);
      expect(t.screen()).not.toContain('too small');
      await expectOneWholeFrame(t);

      // A dropped SSH connection: the terminal goes away with a hangup.
      t.kill('SIGHUP');
      const exit = await t.exited;
      expect(exit.exitCode === 129 || exit.signal === 1).toBe(true);
      // The output ends with leaving the alternate screen and showing the cursor (Ink's own
      // exit hook shows the cursor once more after that).
      const tail = t.output.slice(t.output.lastIndexOf(leaveScreen));
      expect(tail.startsWith(leaveScreen)).toBe(true);
      expect(tail.slice(leaveScreen.length)).toMatch(/^(\x1b\[\?25h)*$/);
      expect(t.altScreen()).toBe(false);
      expect(t.cursorVisible()).toBe(true);
      expectAppStillRunning(demo);
    },
    slow,
  );

  test(
    "B1 rollback during a rollback: r pre-selects the rollback's own target, never the version it leaves",
    async () => {
      // A longer cold start keeps the rollback rolling while r is pressed again.
      const demo = startDemo({ cols, rows }, { CUTOVER_DEMO_COLD_START_MS: '3000' });
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      t.write(dialogKeyOf('dialog.confirm'));
      await t.waitFor('v3 created (rollback to v1)', { timeoutMs: 30_000 });

      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      expect(t.screen()).toMatch(/▸ v1 {2}deploy .*default/);
      expect(t.screen()).toMatch(/ {2}v2 {2}deploy .*never active/);
      t.write(dialogKeyOf('dialog.confirm'));
      await t.waitFor(/already (rolls out|runs) v1's spec/, { timeoutMs: 30_000 });
      const history = JSON.parse(demo.cli('history', 'shop', '--json')) as { version: number }[];
      expect(history.map((v) => v.version)).toEqual([3, 2, 1]);
    },
    slow,
  );

  test(
    "the containers table: every container a row, old version first; l opens a container's logs, following",
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });
      const screen = t.screen();
      expect(screen).toMatch(/ {2}container +ver +state +age +restarts +in flight/);
      const tableRows = screen.split('\n').filter((l) => /^[▸ ] shop-web-\d+ +v2 +█ ready/.test(l));
      expect(tableRows).toHaveLength(3);
      t.write(keyOf('view.down'));
      await t.waitFor(/^ {2}shop-web-\d+ +v2[\s\S]*^▸ shop-web-\d+ +v2/m);
      const selected = /^▸ (shop-web-\d+)/m.exec(t.screen())![1]!;
      t.write(keyOf('view.logs'));
      await t.waitFor(`Logs ${selected} · following`);
      await t.waitFor(/shop v2 listening on \d+/);
      // While the pane is open the footer shows its keys only.
      await expectOneWholeFrame(t, rows, /esc closes {2}\? help$/);
      t.write(dialogKeyOf('dialog.cancel'));
      await t.waitFor(/ {2}container +ver +state/);
      expect(t.screen()).not.toContain('Logs shop-web');
    },
    slow,
  );

  test(
    "the demo's story: the first line says what to try; a bad version follows, and the screen says why it fails",
    async () => {
      const demo = startDemo({ cols, rows }, { CUTOVER_DEMO_EVERY_MS: '6000' });
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      const before = t.output.slice(0, t.output.indexOf('\x1b[?1049h'));
      expect(before.split('\r\n')[0]).toBe(
        'cutover demo: press r to roll back mid-rollout, l on a failing container for its logs, ? for every key, q to quit',
      );
      // The third version crash-loops: the banner names the failing container, its last output.
      await t.waitFor(/(↺ CRASH LOOP web v3|✗ ROLLOUT FAILED v3)/, { timeoutMs: 60_000 });
      await t.waitFor(/shop-web-\d+ › shop v3: Error: cannot read config\/prices\.json/, {
        timeoutMs: 30_000,
      });
      await expectOneWholeFrame(t);
    },
    slow,
  );

  test(
    'every resize, larger or smaller, leaves the whole frame on screen',
    async () => {
      const demo = startDemo({ cols: 80, rows: 24 });
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      await expectOneWholeFrame(t, 24);
      for (const [c, r] of [
        [100, 24],
        [120, 40],
        [80, 30],
        [80, 24],
        [100, 30],
        [70, 20],
        [120, 40],
      ] as const) {
        t.resize(c, r);
        // Read back once the program has drawn for the new size: the containers table's heading
        // spans the full width (the old frame, smaller or cut, does not). Startup can keep the
        // program busy for a moment, so this waits for it rather than a fixed time.
        await t.waitFor(new RegExp(`^.{${c - 9}}in flight$[\\s\\S]*\\? help {2}q quit$(?![\\s\\S])`, 'm'), {
          timeoutMs: 15_000,
        });
        await t.flush();
        try {
          await expectOneWholeFrame(t, r);
          const screen = t.screen().split('\n');
          // No row of the frame is left blank between the header and the footer.
          expect(screen.slice(0, -1).filter((l) => l.trim() === '')).toEqual([]);
          expect(Math.max(...screen.map((l) => l.length))).toBeLessThanOrEqual(c);
        } catch (e) {
          console.log(`${c}×${r}\n${t.screen()}`);
          throw e;
        }
      }
    },
    slow,
  );

  test(
    'a steady rollout is redrawn in place: no full-screen clear after the first frame, nothing below row rows - 1, only what changed',
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor('v1 → v2', { timeoutMs: 60_000 });
      // The rollout runs to its end under load: every container of v2 ready, v1's drained.
      await t.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });
      await t.flush();
      // Dozens of redraws later the frame is still where the first one was.
      await expectOneWholeFrame(t);
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
      // Played back frame by frame: nothing ever lands on the last row (a frame that reached it
      // would scroll the terminal), and later frames rewrite what changed, not the whole screen.
      const played = await replayFrames(output.slice(screenStart), cols, rows);
      expect(played.filter((f) => f.after[rows - 1] !== '' || f.written.includes(rows - 1))).toEqual([]);
      expect(played[0]!.written.length).toBeGreaterThan(rows / 2);
      const written = frames.slice(1).map((f) => f.length);
      expect(Math.min(...written)).toBeLessThan(frames[0]!.length / 4);
    },
    slow,
  );
});
