// The real `cutover` with no arguments in a real pseudo-terminal: the overview of every app on
// every configured target, filtered, an app opened and left again, by keymap id.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnTerminal, type Terminal } from '../helpers/terminal.ts';
import { keyOf } from './keys.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin', 'cutover.js');
const fixture = join(root, 'test', 'helpers', 'fixtures', 'tiny-app');

let home = '';
let term: Terminal | null = null;

const env = () => ({ CUTOVER_HOME: home, XDG_CONFIG_HOME: join(home, 'config') });
function cli(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, ...env() },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** A copy of the tiny app under another name. */
function appNamed(name: string): string {
  const dir = join(home, name);
  cpSync(fixture, dir, { recursive: true });
  const manifest = join(dir, 'cutover.toml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('app = "tiny"', `app = "${name}"`));
  return dir;
}

afterEach(() => {
  term?.dispose();
  term = null;
  if (home === '') return;
  try {
    cli('daemon', 'stop');
  } finally {
    rmSync(home, { recursive: true, force: true });
    home = '';
  }
});

describe('the overview in a pseudo-terminal', () => {
  test('every app on every target; / filters, enter opens the app, esc comes back, q quits', async () => {
    home = mkdtempSync(join(tmpdir(), 'cutover-e2e-overview-'));
    mkdirSync(join(home, 'config', 'cutover'), { recursive: true });
    // A configured target that cannot be read says so on a row of its own.
    writeFileSync(
      join(home, 'config', 'cutover', 'config.toml'),
      '[targets.prod]\nplatform = "kubernetes"\ncontext = "nowhere"\n',
    );
    cli('deploy', appNamed('alpha'));
    cli('deploy', appNamed('beta'));

    term = spawnTerminal({ file: process.execPath, args: [bin], cols: 100, rows: 30, cwd: home, env: env() });
    const t = term;
    await t.waitFor(/cutover · 2 apps on 2 targets/, { timeoutMs: 30_000 });
    expect(t.screen()).toMatch(/alpha +local +v1 +steady +1\/1 +0\.0/);
    expect(t.screen()).toMatch(/beta +local +v1 +steady +1\/1 +0\.0/);
    expect(t.screen()).toMatch(/⚠ prod \(kubernetes nowhere\): /);

    t.write('/beta\r');
    await t.waitFor('filter: beta  1 of 2');
    expect(t.screen()).not.toMatch(/alpha +local/);
    t.write('\r');
    await t.waitFor(/^beta · local · v1 · steady/m);
    expect(t.screen()).toContain('esc overview');
    t.write(keyOf('view.back'));
    await t.waitFor('filter: beta  1 of 2');
    t.write(keyOf('app.quit'));
    expect(await t.exited).toEqual({ exitCode: 0 });
    expect(t.altScreen()).toBe(false);
    // Nothing was changed by looking.
    expect(JSON.parse(cli('history', 'beta', '--json'))).toHaveLength(1);
  }, 120_000);
});
