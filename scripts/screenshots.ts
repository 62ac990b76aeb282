// npm run screenshots — runs the real demo at 100×30 in a headless terminal and writes the
// screens a person would see to screenshots/*.svg (colours included, via terminalToSvg): a
// rolling deploy, the help overlay, a version that crash-loops (the containers table with the
// failing container and why), its logs pane, the rollback dialog with what the rollback changes,
// a paused rollout, the overview of every app, a recreate with a queue building up, and a
// stopped app. The demo's own story is off: this script deploys each version itself (the same
// editions the story deploys). Needs the bundle (npm run build) and nothing else.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeEdition } from '../src/cli/demo-story.ts';
import { terminalToSvg } from '../src/ui/screenshot/svg.ts';
import { dialogKeyOf, keyOf } from '../test/e2e/keys.ts';
import { spawnTerminal, type Terminal } from '../test/helpers/terminal.ts';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin', 'cutover.js');
const out = join(root, 'screenshots');
const cols = 100;
const rows = 30;

const home = mkdtempSync(join(tmpdir(), 'cutover-screenshots-'));
// Only the local platform in the overview, whatever the person running this has configured.
const env = {
  CUTOVER_HOME: home,
  CUTOVER_USER: 'ana',
  XDG_CONFIG_HOME: join(home, 'config'),
  CUTOVER_DEMO_EVERY_MS: '0',
};
const shopDir = join(home, 'demo-shop');

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

/** Presses `key` until `selected` is on screen (the containers table's selection moves). */
async function select(term: Terminal, key: string, selected: RegExp): Promise<void> {
  for (let i = 0; i < 12 && !selected.test(term.screen()); i++) {
    term.write(key);
    await pause(150);
  }
  await term.waitFor(selected);
}

/** A copy of the example under another name, deployed: the overview lists more than one app. */
function deployCopy(name: string): void {
  const dir = join(home, name);
  cpSync(join(root, 'examples', 'shop'), dir, { recursive: true });
  const manifest = join(dir, 'cutover.toml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8')
      .replace('app = "shop"', `app = "${name}"`)
      .replace('containers = 3', 'containers = 2'),
  );
  cli('deploy', dir);
}

mkdirSync(out, { recursive: true });
const term = spawnTerminal({ file: process.execPath, args: [bin, 'demo'], cols, rows, cwd: root, env });
try {
  // A rolling deploy: v2's first containers ready beside v1's, under load.
  await term.waitFor(/v1 → v2 rolling [12]\/3 ready/, { timeoutMs: 60_000 });
  await pause(1500);
  await shoot(term, 'rolling', 'cutover watch shop — rolling deploy');
  await term.waitFor(/shop · local · v2 · steady/, { timeoutMs: 60_000 });

  term.write(keyOf('view.help'));
  await term.waitFor('Keys  (esc or ? closes)');
  await shoot(term, 'help', 'cutover watch shop — help');
  term.write(keyOf('view.help'));
  await term.waitFor('Events');

  // v3 crash-loops: the banner says why with the container's last output; the table lists it.
  writeEdition(shopDir, 0);
  cli('deploy', shopDir, '--detach');
  await term.waitFor(/shop-web-\d+ › shop v3: Error: cannot read config\/prices\.json/, {
    timeoutMs: 60_000,
  });
  await select(term, keyOf('view.down'), /^▸ shop-web-\d+ +v3/m);
  await pause(500);
  await shoot(term, 'crash-loop', 'cutover watch shop — v3 crash-loops: the failing container and why');

  term.write(keyOf('view.logs'));
  await term.waitFor(/Logs shop-web-\d+ · /);
  await term.waitFor(/cannot read config\/prices\.json/);
  await pause(500);
  await shoot(term, 'logs-pane', 'cutover watch shop — l: the failing container’s output');
  term.write(dialogKeyOf('dialog.cancel'));
  await term.waitFor(/ {2}container +ver +state/);

  // What rolling back to v2 changes, before confirming: the fault switched off, v2's image.
  term.write(keyOf('rollout.rollback'));
  await term.waitFor('Roll back shop to:');
  await term.waitFor(/What changes, v3 → v2:/);
  await shoot(term, 'rollback-dialog', 'cutover watch shop — rollback dialog: what changes');
  term.write(dialogKeyOf('dialog.confirm'));
  await term.waitFor(/shop · local · v4 · steady/, { timeoutMs: 60_000 });

  // Two more apps for the overview, then a rollout of shop paused halfway.
  deployCopy('cart');
  deployCopy('search');
  writeEdition(shopDir, 3);
  cli('deploy', shopDir, '--detach');
  await term.waitFor(/v4 → v5 rolling 1\/3 ready/, { timeoutMs: 60_000 });
  term.write(keyOf('rollout.pause'));
  await term.waitFor(/v4 → v5 PAUSED/, { timeoutMs: 30_000 });
  await pause(2500);
  await shoot(term, 'paused', 'cutover watch shop — p: the rollout paused');

  const overview = spawnTerminal({ file: process.execPath, args: [bin], cols, rows, cwd: home, env });
  try {
    await overview.waitFor(/cutover · 3 apps on 1 target/, { timeoutMs: 30_000 });
    await overview.waitFor(/shop +local +v4 +v4 → v5 PAUSED/);
    await pause(1500);
    await shoot(overview, 'overview', 'cutover — every app');
    overview.write(keyOf('app.quit'));
    await overview.exited;
  } finally {
    overview.dispose();
  }
  term.write(keyOf('rollout.pause'));
  await term.waitFor(/shop · local · v5 · steady/, { timeoutMs: 60_000 });

  // A recreate of a changed app while the demo's load runs: nothing is ready for a cold start,
  // so inputs queue up (S2) until v6's containers are.
  writeFileSync(join(shopDir, 'message.txt'), 'hello from shop, recreated\n');
  cli('deploy', shopDir, '--strategy', 'recreate', '--detach');
  await term.waitFor(/queued ([3-9]|\d\d)/, { timeoutMs: 30_000 });
  await pause(800);
  await shoot(term, 'recreate-queue', 'cutover watch shop — recreate, inputs queued');
  await term.waitFor(/shop · local · v6 · steady/, { timeoutMs: 60_000 });

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
