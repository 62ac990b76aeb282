// The screen while its daemon goes away and comes back, in a real pseudo-terminal: stopped and
// started by the CLI, and killed (kill -9) under its supervisor, which starts the next worker at
// once. Either way the screen says at once that its data is stale and comes back by itself.
import { afterEach, describe, expect, test } from 'vitest';
import { replayFrames } from '../helpers/replay-frames.ts';
import { cols, expectOneWholeFrame, rows, slow, startDemo, stopDemos } from './demo.ts';
import { dialogKeyOf, keyOf } from './keys.ts';

afterEach(stopDemos);

/** `cutover daemon status --json`: the worker's pid and its supervisor's. */
interface DaemonStatus {
  running: boolean;
  pid: number | null;
  supervisor: number | null;
}

describe('a daemon restart under an open screen', () => {
  test(
    'stopped and started: stale and greyed at once, back by itself',
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });
      demo.cli('daemon', 'stop');
      await t.waitFor(/⚠ STALE data from \d+s ago/, { timeoutMs: 10_000 });
      // The age of the data on screen goes on counting while nothing arrives.
      await t.waitFor(/⚠ STALE data from [2-9]s ago/, { timeoutMs: 10_000 });
      await expectOneWholeFrame(t);
      demo.cli('daemon', 'start');
      await t.waitFor(/^(?![\s\S]*STALE)[\s\S]*shop · local · v2 · steady/, { timeoutMs: 30_000 });
      await t.flush();
      expect(t.screen()).not.toContain('STALE');
      await expectOneWholeFrame(t);
      // Commands work again too: the screen's connection for commands came back with it.
      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      t.write(dialogKeyOf('dialog.confirm'));
      await t.waitFor('v3 created (rollback to v1)', { timeoutMs: 30_000 });
    },
    slow,
  );

  test(
    'A1: the worker killed (kill -9) under its supervisor: the screen says it is stale, then shows the next worker’s data; no container restarted',
    async () => {
      const demo = startDemo();
      const t = demo.term;
      await t.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });
      const before = JSON.parse(demo.cli('daemon', 'status', '--json')) as DaemonStatus;
      expect(before).toMatchObject({ running: true });
      expect(before.supervisor).not.toBeNull();
      const containers = () =>
        (
          JSON.parse(demo.cli('status', 'shop', '--json')) as { containers: { id: string; state: string }[] }
        ).containers
          .filter((c) => c.state === 'ready')
          .map((c) => c.id)
          .sort();
      const ready = containers();
      await t.flush();
      const killedAt = t.output.length;

      process.kill(before.pid!, 'SIGKILL');

      // The screen says at once that its data is stale: on screen for a moment only, since the
      // supervisor's next worker serves within a second or so, so read from what was written.
      await until(() => (t.output.indexOf('STALE', killedAt) >= 0 ? true : null));
      const frames = await replayFrames(t.output, cols, rows);
      const afterKill = frames.filter((f) => t.output.indexOf(f.chunk, killedAt) >= killedAt);
      expect(
        afterKill.some((f) =>
          f.after.some((line) => /^⚠ STALE data from \d+s ago · lost the connection/.test(line)),
        ),
      ).toBe(true);
      // Then it comes back by itself, the banner gone, on the next worker of the same supervisor.
      await t.waitFor(/^(?![\s\S]*STALE)[\s\S]*shop · local · v2 · steady/, { timeoutMs: 30_000 });
      const next = await until(() => {
        const status = JSON.parse(demo.cli('daemon', 'status', '--json')) as DaemonStatus;
        return status.running && status.pid !== before.pid ? status : null;
      });
      expect(next.supervisor).toBe(before.supervisor);
      await t.flush();
      await expectOneWholeFrame(t);
      // The new worker adopted the containers: the same ones are ready, none restarted.
      expect(containers()).toEqual(ready);
      // Commands go to the new worker.
      t.write(keyOf('rollout.rollback'));
      await t.waitFor('Roll back shop to:');
      t.write(dialogKeyOf('dialog.confirm'));
      await t.waitFor('v3 created (rollback to v1)', { timeoutMs: 30_000 });
    },
    slow,
  );
});

/** Polls `probe` until it returns a value (20 s at most). */
async function until<T>(probe: () => T | null): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
