// The test side of the fake Modal: a state file with a scenario, a bin directory put first on
// PATH with `modal` (and, unless the test wants the real one, `python3`) running the fake
// scripts, and the calls they received, checked against the calls a test expects (lazygit's
// FakeCmdObjRunner: ExpectArgs, then CheckForMissingCalls).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const here = resolve(import.meta.dirname);

/** A container of the fake: seconds since the epoch, like Modal's timestamps. */
export interface FakeContainer {
  id: string;
  enqueuedAt: number;
  startAt: number | null;
  stopAt: number | null;
}

export interface FakeVersion {
  version: number;
  deployedAt: number;
  client: string;
  deployedBy: string;
  commit: string | null;
  tag: string | null;
  rollbackVersion?: number;
  type?: string;
}

export interface FakeApp {
  appId: string;
  name: string;
  state: 'deployed' | 'stopped';
  createdAt: number;
  stoppedAt: number | null;
  functions: string[];
  urls: Record<string, string>;
  /** Inputs arriving steadily: spread over running containers, the rest is backlog. */
  load: number;
  concurrency: number;
  history: FakeVersion[];
  containers: FakeContainer[];
}

/** What `modal deploy FILE` does, by the file's base name. */
export interface FakeDeployPlan {
  app: string;
  outcome: 'change' | 'noop' | 'build-failed';
  functions: string[];
  urls?: Record<string, string>;
  load?: number;
}

export interface FakeWorld {
  /** The modal client version: below 1.5.0 the --json keys are column names. */
  client: string;
  environment: string;
  workspace: string;
  deployedBy: string;
  /** `modal`: the fake python3 has the modal package; `no-modal`: it answers like one without. */
  python: 'modal' | 'no-modal';
  timing: { buildMs: number; startMs: number; stopMs: number; drainMs: number };
  apps: FakeApp[];
  files: Record<string, FakeDeployPlan>;
  /** Every modal command fails as when Modal's server cannot be reached. */
  outage?: boolean;
}

export interface FakeModal {
  dir: string;
  /** The environment for a process that should meet the fake (PATH first, the state file). */
  env: Record<string, string>;
  world(): FakeWorld;
  /** Changes the world between calls (an outage, a new container). */
  change(edit: (world: FakeWorld) => void): void;
  /** Every argv the fakes received, in order (python3's -c program shortened to its first line). */
  calls(): string[][];
  /** Registers a call that must happen, in this order relative to the other expected ones. */
  expectCall(argv: string[]): void;
  /** Throws listing the expected calls that were not made (or not in order). */
  checkForMissingCalls(): void;
  dispose(): void;
}

function shim(file: string, script: string): void {
  writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${join(here, script)}' "$@"\n`);
  chmodSync(file, 0o755);
}

/** `python`: `fake` puts the fake python3 on PATH; `real` leaves the machine's own. */
export function startFakeModal(
  world: FakeWorld,
  options: { python: 'fake' | 'real' } = { python: 'fake' },
): FakeModal {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-fake-modal-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  shim(join(bin, 'modal'), 'fake-modal.mjs');
  if (options.python === 'fake') shim(join(bin, 'python3'), 'fake-python.mjs');
  const state = join(dir, 'world.json');
  writeFileSync(state, JSON.stringify(world, null, 2));
  const expected: string[][] = [];
  const calls = (): string[][] => {
    let text = '';
    try {
      text = readFileSync(`${state}.calls`, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]);
  };
  return {
    dir,
    env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, FAKE_MODAL_STATE: state },
    world: () => JSON.parse(readFileSync(state, 'utf8')) as FakeWorld,
    change: (edit) => {
      const world = JSON.parse(readFileSync(state, 'utf8')) as FakeWorld;
      edit(world);
      writeFileSync(`${state}.new`, JSON.stringify(world, null, 2));
      renameSync(`${state}.new`, state);
    },
    calls,
    expectCall: (argv) => {
      expected.push(argv);
    },
    checkForMissingCalls: () => {
      const made = calls().map((c) => JSON.stringify(c));
      let from = 0;
      const missing: string[] = [];
      for (const argv of expected) {
        const at = made.indexOf(JSON.stringify(argv), from);
        if (at < 0) missing.push(argv.join(' '));
        else from = at + 1;
      }
      if (missing.length > 0) {
        throw new Error(
          `expected calls not made (in order):\n  modal ${missing.join('\n  modal ')}\ncalls made:\n  ${made.join('\n  ')}`,
        );
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
