import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import { snapshotKey } from '../../src/ui/snapshot-key.ts';
import { enterScreen, leaveScreen } from '../../src/ui/terminal.ts';
import { runWatch } from '../../src/ui/watch.ts';
import { type LocalDaemon, startLocalDaemon } from '../helpers/local-daemon.ts';
import { replayFrames } from '../helpers/replay-frames.ts';
import { FakeStdin, FakeStdout } from './fake-terminal.ts';

// runWatch against a real local daemon (its runtime, socket and a one-container app); only the
// terminal's streams are stand-ins here. The real pseudo-terminal is test/e2e's.
process.env.TZ = 'UTC';

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

let daemon: LocalDaemon;
beforeEach(async () => {
  daemon = await startLocalDaemon();
});

function start(mode: 'tui' | 'plain' | 'json', env: NodeJS.ProcessEnv = {}, readonly = false) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const exit = runWatch({
    provider: daemon.provider,
    app: daemon.app,
    deployDir: daemon.appDir,
    user: 'ana',
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    env,
    mode,
    readonly,
    readonlyReason: 'target prod is read-only',
  });
  return { stdout, stdin, exit };
}

let running: ReturnType<typeof start> | null = null;
afterEach(async () => {
  // Every run ends, so no signal listener outlives its test.
  if (running !== null) {
    process.emit('SIGHUP');
    await running.exit;
  }
  running = null;
  await daemon.stop();
});

/** Resolves once the screen shows `match` (10 s at most); returns the screen. */
async function shows(out: FakeStdout, match: string | RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const screen = await out.screen();
    if (typeof match === 'string' ? screen.includes(match) : match.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`never showed ${String(match)}; screen:\n${screen}`);
    await settle(20);
  }
}

/** Resolves once `text` has been written (5 s at most). */
async function written(out: FakeStdout, text: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!out.text.includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`never wrote ${JSON.stringify(text)}; wrote:\n${out.text.slice(-2000)}`);
    await settle(20);
  }
}

describe('plain', () => {
  test('one line per change, no escape codes; a broken feed ends it with 1', async () => {
    const w = start('plain');
    await written(w.stdout, 'tiny v1 steady');
    await daemon.deployNext();
    await written(w.stdout, 'tiny v2 steady');
    await daemon.stop();
    expect(await w.exit).toBe(1);
    const lines = w.stdout.text.trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => /^\d\d:\d\d:\d\d tiny v[12]/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('v1 → v2'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^error: .*connection/);
    expect(w.stdout.text).not.toMatch(/\x1b/);
    // One line per change: never the same line twice in a row.
    expect(
      lines.every((l, i) => i === 0 || l.slice(9) !== lines[i - 1]!.slice(9) || l.startsWith('error')),
    ).toBe(true);
    daemon = await startLocalDaemon(); // afterEach stops one
  });

  test('SIGTERM ends it with 143', async () => {
    const w = start('plain');
    await written(w.stdout, 'tiny v1');
    process.emit('SIGTERM');
    expect(await w.exit).toBe(143);
    expect(w.stdout.text).not.toMatch(/\x1b/);
  });
});

describe('json', () => {
  test('one snapshot per line', async () => {
    const w = start('json');
    await written(w.stdout, '"app":"tiny"');
    await daemon.deployNext();
    await written(w.stdout, '"version":2');
    process.emit('SIGINT');
    expect(await w.exit).toBe(130);
    const snapshots = w.stdout.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Snapshot);
    expect(snapshots.every((s) => s.app === 'tiny' && s.platform === 'local')).toBe(true);
    expect(snapshots.some((s) => s.rollout?.to === 2)).toBe(true);
  });
});

describe('tui', () => {
  test('enters the alternate screen first, and q restores the terminal without a command', async () => {
    const w = start('tui');
    running = w;
    expect(w.stdout.writes[0]).toBe(enterScreen);
    await written(w.stdout, 'tiny');
    w.stdin.press('q');
    expect(await w.exit).toBe(0);
    running = null;
    expect(w.stdout.writes.at(-1)).toBe(leaveScreen);
    const history = await daemon.provider.history('tiny', 10);
    expect(history.map((h) => h.version)).toEqual([1]);
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s restores the terminal', async (signal, code) => {
    const w = start('tui');
    await written(w.stdout, 'tiny');
    process.emit(signal);
    expect(await w.exit).toBe(code);
    expect(w.stdout.writes.at(-1)).toBe(leaveScreen);
  });

  test('ctrl-c quits', async () => {
    const w = start('tui');
    await written(w.stdout, 'tiny');
    w.stdin.press('\x03');
    expect(await w.exit).toBe(0);
    expect(w.stdout.writes.at(-1)).toBe(leaveScreen);
  });

  test('an uncaught error restores the terminal and exits 1', async () => {
    const w = start('tui');
    await settle();
    (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtException', new Error('boom'));
    expect(await w.exit).toBe(1);
    expect(w.stdout.text).toContain(`${leaveScreen}error: boom`);
  });

  test('r then enter rolls back through the provider as the user', async () => {
    await daemon.deployNext();
    const w = start('tui');
    running = w;
    await written(w.stdout, 'v2');
    w.stdin.press('r');
    await settle();
    w.stdin.press('\r');
    await written(w.stdout, 'v3 created (rollback to v1)');
    const [newest] = await daemon.provider.history('tiny', 1);
    expect(newest).toMatchObject({ version: 3, kind: 'rollback', rollbackOf: 1, user: 'ana' });
  });

  test('NO_COLOR: frames carry no colour codes', async () => {
    const w = start('tui', { NO_COLOR: '1' });
    running = w;
    await written(w.stdout, 'tiny');
    expect(w.stdout.text).not.toMatch(/\x1b\[(3[0-9]|9[0-7])m/);
  });
});

describe('redraws', () => {
  test('a snapshot that changed nothing but its time has the same key, so nothing is written', async () => {
    const s = await daemon.provider.snapshot('tiny');
    expect(snapshotKey({ ...s, at: s.at + 1000 })).toBe(snapshotKey(s));
    expect(snapshotKey({ ...s, version: 2 })).not.toBe(snapshotKey(s));
  });
});

describe('a lost daemon', () => {
  test('tui: the screen says its data is stale and reconnecting, then comes back by itself', async () => {
    const w = start('tui');
    running = w;
    await shows(w.stdout, 'tiny · local · v1');
    const down = daemon.restartSocket(2_500);
    const stale = await shows(w.stdout, /STALE data from [12]s ago/);
    expect(stale.split('\n')[1]).toMatch(
      /^⚠ STALE data from \ds ago · (lost the connection to|the daemon is not answering)/,
    );
    await down;
    // Back: snapshots flow again and the stale banner goes, with nobody pressing anything.
    await daemon.deployNext();
    const back = await shows(w.stdout, 'tiny · local · v2');
    expect(back).not.toContain('STALE');
  });
});

describe('a name deployed again', () => {
  test('T1: the screen follows the name to the new app and says where the stopped one is', async () => {
    const w = start('tui');
    running = w;
    await shows(w.stdout, 'tiny · local · v1 · steady');
    await daemon.provider.stop('tiny', { user: 'ana' });
    await shows(w.stdout, 'STOPPED');
    const reply = await daemon.provider.deploy({ path: daemon.appDir }, { user: 'ana' });
    expect(reply).toMatchObject({ ok: true, version: 1 });
    const screen = await shows(w.stdout, 'deployed again');
    expect(screen).toContain('tiny was deployed again as a new app; the stopped one is tiny#1');
    await shows(w.stdout, /tiny · local · v1 · steady/);
    expect(await w.stdout.screen()).not.toContain('STOPPED');
    expect((await daemon.provider.snapshot('tiny#1')).status).toBe('stopped');
  });
});

describe('the clock', () => {
  test('ages advance each second with no snapshot arriving, and a tick rewrites only them', async () => {
    await daemon.provider.stop('tiny', { user: 'ana' });
    // A stopped app sends no snapshots: nothing but the clock changes the screen.
    const w = start('tui');
    running = w;
    const first = await shows(w.stdout, /●v1 deploy ana (\d+)s/);
    const age = (screen: string) => Number(/●v1 deploy ana (\d+)s/.exec(screen)![1]);
    const later = await shows(w.stdout, new RegExp(`●v1 deploy ana (${age(first) + 2}|${age(first) + 3})s`));
    expect(age(later)).toBeGreaterThan(age(first));
    // Each tick's frame writes only the rows whose text changed (the age; the chart, when a
    // sample is drawn, moves with the time); on the age's row only the age changed.
    const ticks = await replayFrames(
      w.stdout.writes.map((chunk) => chunk.replace(/\r?\n/g, '\r\n')),
      80,
      24,
    );
    const last = ticks.at(-1)!;
    expect(last.written.every((row) => last.before[row] !== last.after[row])).toBe(true);
    const ageRow = last.after.findIndex((line) => /●v1 deploy ana \d+s/.test(line));
    expect(last.written).toContain(ageRow);
    const ageless = (line: string) => line.replace(/ana \d+s/, 'ana Ns');
    expect(ageless(last.before[ageRow]!)).toBe(ageless(last.after[ageRow]!));
  });
});

describe('logs', () => {
  test("l opens the selected container's output through the provider; esc closes it", async () => {
    const w = start('tui');
    running = w;
    await shows(w.stdout, /▸ tiny-web-\d+/);
    w.stdin.press('l');
    const pane = await shows(w.stdout, /Logs tiny-web-\d+ · following/);
    const id = /Logs (tiny-web-\d+)/.exec(pane)![1];
    await shows(w.stdout, `tiny ${id} of v1 listening`);
    w.stdin.press('\x1b');
    await settle(300);
    expect(await w.stdout.screen()).not.toContain('Logs tiny-web');
  });
});

describe('read-only', () => {
  test('r, o, s, d and p refuse with the reason and change nothing', async () => {
    await daemon.deployNext();
    const w = start('tui', {}, true);
    running = w;
    await shows(w.stdout, 'tiny · local · v2');
    expect((await w.stdout.screen()).split('\n').at(-1)).not.toContain('rollback');
    w.stdin.press('r');
    await shows(w.stdout, 'rollback: read-only: target prod is read-only');
    for (const key of ['o', 's', 'd', 'p', '\r', 'y']) w.stdin.press(key);
    await settle(300);
    expect((await daemon.provider.history('tiny', 10)).map((v) => v.version)).toEqual([2, 1]);
  });
});
