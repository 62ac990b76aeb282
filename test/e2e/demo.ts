// The real `cutover demo` in a real pseudo-terminal, as the end-to-end tests start it: a state
// directory of its own (CUTOVER_HOME), the CLI with the same home, and what a whole frame is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { spawnTerminal, type Terminal } from '../helpers/terminal.ts';

export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'bin', 'cutover.js');
export const cols = 100;
export const rows = 30;
// The example's cold start is 2.5 s; under test a shorter one keeps the rollout visible but brief.
const coldStartMs = '800';
/** A test's budget: a demo deploys, builds and rolls out for real. */
export const slow = 120_000;

/** A running demo: its terminal, and the CLI against its state. */
export interface Demo {
  term: Terminal;
  home: string;
  cli(...args: string[]): string;
}

const running: Demo[] = [];

export function startDemo(
  size: { cols: number; rows: number } = { cols, rows },
  env: Record<string, string> = {},
): Demo {
  const home = mkdtempSync(join(tmpdir(), 'cutover-e2e-'));
  const term = spawnTerminal({
    file: process.execPath,
    args: [bin, 'demo'],
    cols: size.cols,
    rows: size.rows,
    cwd: root,
    // The story (a new version every 40 s) is off unless a test asks for it.
    env: { CUTOVER_HOME: home, CUTOVER_DEMO_COLD_START_MS: coldStartMs, CUTOVER_DEMO_EVERY_MS: '0', ...env },
  });
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, CUTOVER_HOME: home },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const demo = { term, home, cli };
  running.push(demo);
  return demo;
}

/** For afterEach: closes every demo's terminal, stops its daemon and apps, removes its state. */
export function stopDemos(): void {
  for (const demo of running.splice(0)) {
    demo.term.dispose();
    try {
      demo.cli('daemon', 'stop', '--apps');
    } finally {
      rmSync(demo.home, { recursive: true, force: true });
    }
  }
}

/** The daemon runs and the app still has ready containers: quitting changed nothing. */
export function expectAppStillRunning(demo: Demo): void {
  expect(JSON.parse(demo.cli('daemon', 'status', '--json'))).toMatchObject({ running: true });
  const status = JSON.parse(demo.cli('status', 'shop', '--json')) as {
    status: string;
    containers: { state: string }[];
  };
  expect(status.status).toBe('deployed');
  expect(status.containers.filter((c) => c.state === 'ready').length).toBeGreaterThan(0);
}

/**
 * The whole frame is in place: header on the top row, each panel once, the footer last (the
 * screen's keys, or `footer` while a pane or dialog shows its own), above the last row.
 */
function checkOneWholeFrame(t: Terminal, height: number, footer: RegExp): void {
  const screen = t.screen().split('\n');
  expect(screen[0]).toMatch(/^shop · local · v\d+/);
  expect(screen.filter((l) => l.startsWith('shop · local')).length).toBe(1);
  expect(screen.filter((l) => l.includes('Containers')).length).toBe(1);
  expect(screen.at(-1)).toMatch(footer);
  expect(screen.length).toBeLessThanOrEqual(height - 1);
}

/**
 * One whole frame is on screen. A frame may reach the pty in several reads, so a half-drawn one
 * is given a moment to finish; a frame that is wrong for longer fails.
 */
export async function expectOneWholeFrame(
  t: Terminal,
  height = rows,
  footer = /\? help {2}q quit$/,
): Promise<void> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    await t.flush();
    try {
      return checkOneWholeFrame(t, height, footer);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
