// npm run screenshots — runs the real demo at 100×30 in a headless terminal and writes the
// screens a person would see to screenshots/*.svg (colours included, via terminalToSvg): a
// rolling deploy, the rollback dialog, the help overlay, a recreate with a queue building up,
// and a stopped app. Needs the bundle (npm run build) and nothing else.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { terminalToSvg } from '../src/ui/screenshot/svg.ts';
import { dialogKeyOf, keyOf } from '../test/e2e/keys.ts';
import { spawnTerminal, type Terminal } from '../test/helpers/terminal.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'cutover.js');
const out = join(root, 'screenshots');
const cols = 100;
const rows = 30;

const home = mkdtempSync(join(tmpdir(), 'cutover-screenshots-'));
const env = { CUTOVER_HOME: home, CUTOVER_USER: 'ana' };

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shoot(term: Terminal, name: string, title: string): Promise<void> {
  await term.flush();
  writeFileSync(join(out, `${name}.svg`), terminalToSvg(term.xterm, { title }));
  console.log(`screenshots/${name}.svg`);
}

mkdirSync(out, { recursive: true });
const term = spawnTerminal({ file: process.execPath, args: [bin, 'demo'], cols, rows, cwd: root, env });
try {
  // A rolling deploy: v2's first containers ready beside v1's, under load.
  await term.waitFor(/v1 → v2 rolling [12]\/3 ready/, { timeoutMs: 60_000 });
  await pause(1500);
  await shoot(term, 'rolling', 'cutover watch shop — rolling deploy');

  term.write(keyOf('rollout.rollback'));
  await term.waitFor('Roll back shop to:');
  await shoot(term, 'rollback-dialog', 'cutover watch shop — rollback dialog');
  term.write(dialogKeyOf('dialog.cancel'));
  await term.waitFor(/\? help {2}q quit/);
  await term.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });

  term.write(keyOf('view.help'));
  await term.waitFor('Keys  (esc or ? closes)');
  await shoot(term, 'help', 'cutover watch shop — help');
  term.write(keyOf('view.help'));
  await term.waitFor('Events');

  // A recreate of a changed app while the demo's load runs: nothing is ready for a cold start,
  // so inputs queue up (S2) until v3's containers are.
  writeFileSync(join(home, 'demo-shop', 'message.txt'), 'hello from shop, third edition\n');
  cli('deploy', join(home, 'demo-shop'), '--strategy', 'recreate', '--detach');
  await term.waitFor(/queued ([3-9]|\d\d)/, { timeoutMs: 30_000 });
  await pause(800);
  await shoot(term, 'recreate-queue', 'cutover watch shop — recreate, inputs queued');
  await term.waitFor(/shop · local · v3 · steady/, { timeoutMs: 60_000 });

  cli('stop', 'shop', '--yes');
  await term.waitFor('STOPPED', { timeoutMs: 30_000 });
  await pause(1500);
  await shoot(term, 'stopped', 'cutover watch shop — stopped');

  term.write(keyOf('app.quit'));
  await term.exited;
} finally {
  term.dispose();
  try {
    cli('daemon', 'stop', '--apps');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
