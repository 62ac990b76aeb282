// What each Modal scenario starts from: a CUTOVER_HOME of its own, the fake Modal (a scenario's
// world, `modal` and python3 first on PATH), the Python files a deploy names, and the real
// `bin/cutover` run with `--platform modal` against them.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { type FakeModal, type FakeWorld, startFakeModal } from '../../fakes/modal/fake-modal.ts';
import { BIN, type CliResult, cutover, showRun } from '../../local/platform/cli.ts';

export interface ModalBox {
  home: string;
  fake: FakeModal;
  /** Where shop.py, same.py and broken.py live. */
  code: string;
  /** `cutover ARGS --platform modal`; resolves however it exits. */
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs and requires exit 0. */
  ok(args: string[]): Promise<CliResult>;
  /** The first snapshot `cutover watch APP --json` prints (the whole Snapshot, events and all). */
  firstSnapshot(app: string): Promise<Snapshot>;
  dispose(): void;
}

export function modalBox(
  world: FakeWorld,
  options: { python: 'fake' | 'real' } = { python: 'fake' },
): ModalBox {
  const home = mkdtempSync(join(tmpdir(), 'cutover-modal-'));
  const code = join(home, 'code');
  mkdirSync(code);
  for (const file of Object.keys(world.files)) {
    const plan = world.files[file]!;
    writeFileSync(join(code, file), `import modal\n\napp = modal.App("${plan.app}")\n`);
  }
  const fake = startFakeModal(world, options);
  const run = (args: string[], env: Record<string, string> = {}) =>
    cutover(home, [...args, '--platform', 'modal'], { env: { ...fake.env, ...env }, timeoutMs: 90_000 });
  return {
    home,
    fake,
    code,
    run,
    ok: async (args) => {
      const r = await run(args);
      if (r.code !== 0) throw new Error(showRun(r));
      return r;
    },
    firstSnapshot: (app) =>
      new Promise((done, fail) => {
        const child = spawn(process.execPath, [BIN, 'watch', app, '--json', '--platform', 'modal'], {
          cwd: home,
          env: { ...process.env, CUTOVER_HOME: home, NO_COLOR: '1', ...fake.env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          err += c;
        });
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const nl = out.indexOf('\n');
          if (nl >= 0) {
            child.kill('SIGTERM');
            done(JSON.parse(out.slice(0, nl)) as Snapshot);
          }
        });
        child.once('close', (code) =>
          fail(new Error(`watch exited ${code} before a snapshot:\n${out}${err}`)),
        );
      }),
    dispose: () => {
      fake.dispose();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
