import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContainerProcesses } from '../../../src/local/runtime/container-processes.ts';
import { freePort } from '../../../src/local/runtime/free-port.ts';
import { isRunning, startTicksOf } from '../../../src/local/runtime/process-identity.ts';
import { fixture, isAlive } from './fixture-process.ts';

type Exit = [string, number | null, string | null];

let dir: string;
let exits: Exit[];
let processes: ContainerProcesses;
const strays: number[] = [];

// The caller passes these through (the daemon's own environment is never inherited).
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-processes-'));
  exits = [];
  processes = new ContainerProcesses({
    logDir: join(dir, 'logs'),
    onExit: (containerId, code, signal) => exits.push([containerId, code, signal]),
  });
});

afterEach(async () => {
  await processes.stopAll(0);
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function log(containerId: string): string {
  return existsSync(processes.logPath(containerId))
    ? readFileSync(processes.logPath(containerId), 'utf8')
    : '';
}

async function answers(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/hello`);
  return JSON.parse(await res.text()).name;
}

describe('ContainerProcesses', () => {
  it('runs a container that answers on its port and logs to an owner-only file', async () => {
    const port = await freePort();
    const { pid } = processes.start({
      containerId: 'shop-web-v1-1',
      command: [process.execPath, fixture('echo-server.mjs')],
      cwd: dir,
      env: { ...baseEnv, PORT: String(port), NAME: 'v1' },
    });
    expect(pid).toBeGreaterThan(0);
    expect(processes.running()).toEqual(['shop-web-v1-1']);
    await vi.waitFor(() => expect(log('shop-web-v1-1')).toContain(`listening ${port}`));
    expect(await answers(port)).toBe('v1');
    await vi.waitFor(() => expect(log('shop-web-v1-1')).toContain('request GET /hello'));
    expect(statSync(processes.logPath('shop-web-v1-1')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'logs')).mode & 0o777).toBe(0o700);
  });

  it('terminates with SIGTERM and reports the exit once', async () => {
    const port = await freePort();
    processes.start({
      containerId: 'c1',
      command: `exec "${process.execPath}" "${fixture('echo-server.mjs')}"`,
      cwd: dir,
      env: { ...baseEnv, PORT: String(port) },
    });
    await vi.waitFor(() => expect(log('c1')).toContain('listening'));
    await processes.terminate('c1', 30_000);
    expect(log('c1')).toContain('got SIGTERM');
    expect(exits).toEqual([['c1', 0, null]]);
    expect(processes.running()).toEqual([]);
    // Terminating it again, or stopping everything, reports nothing more.
    await processes.terminate('c1', 0);
    await processes.stopAll(0);
    expect(exits).toHaveLength(1);
  });

  it('reports a container that exits by itself once, with its code', async () => {
    processes.start({ containerId: 'c1', command: 'echo bye; exit 3', cwd: dir, env: baseEnv });
    await vi.waitFor(() => expect(exits).toEqual([['c1', 3, null]]));
    expect(log('c1')).toBe('bye\n');
    expect(processes.running()).toEqual([]);
  });

  it('SIGKILLs a container that ignores SIGTERM after the grace period', async () => {
    const { pid } = processes.start({
      containerId: 'stubborn',
      command: [process.execPath, fixture('stubborn.mjs')],
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() => expect(log('stubborn')).toContain('started'));
    await processes.terminate('stubborn', 300);
    expect(log('stubborn')).toContain('ignoring SIGTERM');
    expect(exits).toEqual([['stubborn', null, 'SIGKILL']]);
    expect(isAlive(pid)).toBe(false);
  });

  it('terminates the children a shell command started (its process group)', async () => {
    processes.start({
      containerId: 'procfile',
      command: 'sleep 1000 & echo "child $!"; wait',
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() => expect(log('procfile')).toMatch(/child \d+/));
    const child = Number(/child (\d+)/.exec(log('procfile'))![1]);
    strays.push(child);
    expect(isAlive(child)).toBe(true);
    await processes.terminate('procfile', 5_000);
    await vi.waitFor(() => expect(isAlive(child)).toBe(false));
    expect(exits).toHaveLength(1);
  });

  it('reports a container whose main process exited, and ends the children it left behind', async () => {
    processes.start({
      containerId: 'leaver',
      command: 'sleep 1000 & echo "child $!"; exit 4',
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() => expect(exits).toEqual([['leaver', 4, null]]));
    const child = Number(/child (\d+)/.exec(log('leaver'))![1]);
    strays.push(child);
    await vi.waitFor(() => expect(isAlive(child)).toBe(false));
  });

  it('passes an array command literally, with only the environment given', async () => {
    const tricky = '$(touch pwned); echo injected > pwned2 | cat';
    processes.start({
      containerId: 'args',
      command: [process.execPath, fixture('print-args.mjs'), tricky, '*'],
      cwd: dir,
      env: { ...baseEnv, GREETING: 'hello' },
    });
    await vi.waitFor(() => expect(exits).toEqual([['args', 0, null]]));
    const printed = JSON.parse(log('args'));
    expect(printed.argv).toEqual([tricky, '*']);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(dir, 'pwned2'))).toBe(false);
    expect(printed.env.GREETING).toBe('hello');
    expect(Object.keys(printed.env).sort()).toEqual(['GREETING', 'LANG', 'PATH']);
  });

  it('reports a command that cannot be started as an exit, with the reason in its log', async () => {
    processes.start({
      containerId: 'missing',
      command: [join(dir, 'no-such-binary')],
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() => expect(exits).toEqual([['missing', null, null]]));
    expect(log('missing')).toContain('could not start');
    expect(processes.running()).toEqual([]);
  });

  it('stops every running container', async () => {
    for (const id of ['a', 'b']) {
      processes.start({ containerId: id, command: 'exec sleep 1000', cwd: dir, env: baseEnv });
    }
    expect(processes.running().sort()).toEqual(['a', 'b']);
    await processes.stopAll(5_000);
    expect(processes.running()).toEqual([]);
    expect(exits.map(([id, , signal]) => [id, signal]).sort()).toEqual([
      ['a', 'SIGTERM'],
      ['b', 'SIGTERM'],
    ]);
  });

  it('with a pid directory, a container writes its own pid before its command runs; its environment stays as given', async () => {
    const withPids = new ContainerProcesses({
      logDir: join(dir, 'logs'),
      pidDir: join(dir, 'run'),
      onExit: (containerId, code, signal) => exits.push([containerId, code, signal]),
    });
    mkdirSync(join(dir, 'run'));
    const tricky = '$(touch pwned)';
    const { pid } = withPids.start({
      containerId: 'own-pid',
      command: [process.execPath, fixture('print-args.mjs'), tricky],
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() => expect(exits).toEqual([['own-pid', 0, null]]));
    const printed = JSON.parse(log('own-pid'));
    expect(printed.argv).toEqual([tricky]);
    expect(Object.keys(printed.env).sort()).toEqual(['LANG', 'PATH']);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(pid).toBeGreaterThan(0);
    // Removed once it exited: a pid file is the record of a running container only.
    expect(existsSync(withPids.pidPath('own-pid'))).toBe(false);

    const { pid: sleeper } = withPids.start({
      containerId: 'sleeper',
      command: 'exec sleep 1000',
      cwd: dir,
      env: baseEnv,
    });
    await vi.waitFor(() =>
      expect(readFileSync(withPids.pidPath('sleeper'), 'utf8').trim()).toBe(String(sleeper)),
    );
    const startTicks = startTicksOf(sleeper);
    expect(isRunning({ pid: sleeper, startTicks })).toBe(true);
    // The same pid with another start time is another process (a pid reused since).
    expect(isRunning({ pid: sleeper, startTicks: (startTicks ?? 0) + 1 })).toBe(false);
    await withPids.stopAll(1_000);
    expect(isRunning({ pid: sleeper, startTicks })).toBe(false);
  });
});
