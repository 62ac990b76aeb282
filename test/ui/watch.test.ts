import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { CommandReply } from '../../src/engine/effects.ts';
import type { Provider } from '../../src/engine/provider.ts';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import { enterScreen, leaveScreen } from '../../src/ui/terminal.ts';
import { runWatch } from '../../src/ui/watch.ts';
import { allCapabilities, rolling, snapshot } from './fixtures.ts';

process.env.TZ = 'UTC';

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  writes: string[] = [];
  write = (chunk: string) => {
    this.writes.push(String(chunk));
    return true;
  };
  get text() {
    return this.writes.join('');
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  press(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

const reply: CommandReply = {
  ok: true,
  app: 'shop',
  version: 9,
  noop: false,
  rollbackOf: 7,
  message: '',
  warnings: [],
};

function fakeProvider() {
  let feed: { onSnapshot: (s: Snapshot) => void; onError: (e: Error) => void } | null = null;
  const unsubscribe = vi.fn();
  const provider: Provider = {
    platform: 'local',
    capabilities: allCapabilities,
    snapshot: vi.fn(),
    watch: vi.fn((_app, onSnapshot, onError) => {
      feed = { onSnapshot, onError };
      return unsubscribe;
    }),
    deploy: vi.fn(async () => reply),
    rollover: vi.fn(async () => reply),
    rollback: vi.fn(async () => reply),
    stop: vi.fn(async () => reply),
    history: vi.fn(),
    apps: vi.fn(),
    close: vi.fn(),
  };
  return {
    provider,
    unsubscribe,
    send: (s: Snapshot) => feed!.onSnapshot(s),
    fail: (e: Error) => feed!.onError(e),
  };
}

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

function start(mode: 'tui' | 'plain' | 'json', env: NodeJS.ProcessEnv = {}) {
  const fake = fakeProvider();
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const exit = runWatch({
    provider: fake.provider,
    app: 'shop',
    deployDir: '/srv/shop',
    user: 'ana',
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    env,
    mode,
  });
  return { ...fake, stdout, stdin, exit };
}

let running: ReturnType<typeof start> | null = null;
afterEach(async () => {
  // Every run ends, so no signal listener outlives its test.
  if (running !== null) process.emit('SIGHUP');
  running = null;
});

describe('plain', () => {
  test('one line per change, no escape codes; a broken feed ends it with 1', async () => {
    const w = start('plain');
    w.send(snapshot());
    w.send(snapshot({ at: snapshot().at + 1000 }));
    w.send(rolling({ at: snapshot().at + 2000 }));
    w.fail(new Error('daemon went away'));
    expect(await w.exit).toBe(1);
    expect(w.stdout.text).toBe(
      [
        '12:00:00 shop v7 steady · queued 0 · in flight 4',
        '12:00:02 shop v7 → v8 rolling 3/5 ready · queued 0 · in flight 4',
        'error: daemon went away',
        '',
      ].join('\n'),
    );
    expect(w.unsubscribe).toHaveBeenCalled();
  });

  test('SIGTERM ends it with 143', async () => {
    const w = start('plain');
    w.send(snapshot());
    process.emit('SIGTERM');
    expect(await w.exit).toBe(143);
    expect(w.stdout.text).not.toMatch(/\x1b/);
  });
});

describe('json', () => {
  test('one snapshot per line', async () => {
    const w = start('json');
    w.send(snapshot());
    w.send(snapshot({ at: snapshot().at + 1000 }));
    w.send(rolling());
    process.emit('SIGINT');
    expect(await w.exit).toBe(130);
    const lines = w.stdout.text.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Snapshot).rollout?.to ?? null)).toEqual([null, 8]);
  });
});

describe('tui', () => {
  test('enters the alternate screen first, and q restores the terminal without a command', async () => {
    const w = start('tui');
    running = w;
    expect(w.stdout.writes[0]).toBe(enterScreen);
    w.send(rolling());
    await settle();
    expect(w.stdout.text).toContain('v7 → v8 rolling 3/5 ready');
    w.stdin.press('q');
    expect(await w.exit).toBe(0);
    running = null;
    expect(w.stdout.writes.at(-1)).toBe(leaveScreen);
    expect(w.unsubscribe).toHaveBeenCalled();
    for (const call of ['deploy', 'rollover', 'rollback', 'stop'] as const)
      expect(w.provider[call]).not.toHaveBeenCalled();
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('%s restores the terminal', async (signal, code) => {
    const w = start('tui');
    w.send(snapshot());
    await settle();
    process.emit(signal);
    expect(await w.exit).toBe(code);
    expect(w.stdout.writes.at(-1)).toBe(leaveScreen);
  });

  test('ctrl-c quits', async () => {
    const w = start('tui');
    w.send(snapshot());
    await settle();
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
    const w = start('tui');
    running = w;
    w.send(rolling());
    await settle();
    w.stdin.press('r');
    await settle();
    w.stdin.press('\r');
    await settle(400);
    expect(w.provider.rollback).toHaveBeenCalledWith('shop', 7, { user: 'ana' });
    expect(w.stdout.text).toContain('v9 created (rollback to v7)');
  });

  test('a snapshot that changed nothing but its time writes nothing', async () => {
    const w = start('tui');
    running = w;
    w.send(snapshot());
    await settle();
    const before = w.stdout.writes.length;
    w.send(snapshot({ at: snapshot().at + 1000 }));
    await settle();
    expect(w.stdout.writes.length).toBe(before);
  });

  test('NO_COLOR: frames carry no colour codes', async () => {
    const w = start('tui', { NO_COLOR: '1' });
    running = w;
    w.send(rolling());
    await settle();
    expect(w.stdout.text).not.toMatch(/\x1b\[(3[0-9]|9[0-7])m/);
  });
});
