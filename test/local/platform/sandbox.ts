// What every platform test starts from: a CUTOVER_HOME of its own (mkdtemp), a copy of the
// fixture app with a manifest written for the case, and a cleanup that stops the daemon and
// makes sure nothing it ran survives the test.
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cutover, type RunOptions, showRun } from './cli.ts';

/** The fixture app every test copies: see fixtures/app/server.js. */
export const FIXTURE_APP = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'app');

/** The manifest knobs the tests vary. */
export interface ManifestOptions {
  app?: string;
  strategy?: 'rolling' | 'recreate';
  containers?: number;
  /** The proxy's port; assigned when omitted. */
  port?: number;
  startTimeout?: string;
  maxSurge?: number;
  autoRollback?: boolean;
  /** A `[build] command`. */
  build?: string;
  env?: Record<string, string>;
  /** The function's command; the fixture's server.js when omitted. */
  command?: string | string[];
  /** `ready`; default "/healthz". */
  ready?: string;
  concurrency?: number;
  drainTimeout?: string;
  /** H1's settle window; default "500ms" here, so rollouts in tests stay quick. */
  minReady?: string;
  /** Extra lines at the end of the [[functions]] table (a typo'd key, a limit). */
  extraFunctionLines?: string[];
  /** `[secrets] names`. */
  secrets?: string[];
}

/** The fixture app's cutover.toml for these options. */
export function manifestText(o: ManifestOptions = {}): string {
  return [
    `app = "${o.app ?? 'shop'}"`,
    `strategy = "${o.strategy ?? 'rolling'}"`,
    ...(o.autoRollback === undefined ? [] : [`auto_rollback = ${o.autoRollback}`]),
    '',
    ...(o.build === undefined ? [] : ['[build]', `command = ${JSON.stringify(o.build)}`, '']),
    '[[functions]]',
    'name = "web"',
    `command = ${JSON.stringify(o.command ?? ['node', 'server.js'])}`,
    ...(o.port === undefined ? [] : [`port = ${o.port}`]),
    `containers = ${o.containers ?? 2}`,
    `concurrency = ${o.concurrency ?? 8}`,
    `ready = ${JSON.stringify(o.ready ?? '/healthz')}`,
    `drain_timeout = "${o.drainTimeout ?? '5s'}"`,
    `start_timeout = "${o.startTimeout ?? '10s'}"`,
    `max_surge = ${o.maxSurge ?? 1}`,
    `min_ready = "${o.minReady ?? '500ms'}"`,
    ...(o.extraFunctionLines ?? []),
    '',
    '[env]',
    ...Object.entries(o.env ?? {}).map(([k, v]) => `${k} = ${JSON.stringify(v)}`),
    '',
    ...(o.secrets === undefined ? [] : ['[secrets]', `names = ${JSON.stringify(o.secrets)}`, '']),
  ].join('\n');
}

/** A state directory and a copy of the fixture app, with `cutover` bound to that directory. */
export interface Sandbox {
  home: string;
  /** The app's directory (a copy of fixtures/app, free to edit). */
  appDir: string;
  /** Rewrites the app's cutover.toml. */
  manifest(o?: ManifestOptions): void;
  /** Rewrites the app's message.txt (what its answers carry as `message`). */
  message(text: string): void;
  /** Runs `cutover ...args` with CUTOVER_HOME = home. */
  run(args: string[], options?: RunOptions): Promise<CliResult>;
  /** Like run, but throws (with the output) unless the command exits 0. */
  ok(args: string[], options?: RunOptions): Promise<CliResult>;
  /** `status APP --json`. */
  status(app?: string): Promise<StatusJson>;
  /** `history APP --json`. */
  history(app?: string): Promise<HistoryEntryJson[]>;
  /** Stops the daemon (killing it and its containers if it does not go) and removes both dirs. */
  cleanup(): Promise<void>;
}

/** `status --json`, as the issue specifies it. */
export interface StatusJson {
  app: string;
  appId: string;
  status: 'deployed' | 'stopped';
  version: number | null;
  paused: boolean;
  rollout: { from: number | null; to: number; kind: string; strategy: string; phase: string } | null;
  functions: { name: string; url: string | null; target: number }[];
  containers: {
    id: string;
    function: string;
    version: number;
    state: string;
    reason: string | null;
    restarts: number | null;
  }[];
  inputs: { queued: number; inFlight: number; done: number; failed: number; cancelled: number | null };
  failed: { version: number; reason: string; container?: string | null; probe?: string | null } | null;
}

/** `daemon status --json`. */
export interface DaemonStatusJson {
  running: boolean;
  /** The worker serving requests. */
  pid: number;
  /** The supervisor that holds the sockets and restarts the worker (A1). */
  supervisor: number;
  socket: string;
}

/** One entry of `history --json`. */
export interface HistoryEntryJson {
  version: number;
  kind: 'deploy' | 'rollover' | 'rollback';
  strategy: string;
  user: string;
  createdAt: string;
  outcome: 'rolling' | 'active' | 'superseded' | 'failed';
  rollbackOf: number | null;
  image: string;
  specHash: string;
}

export function sandbox(manifest: ManifestOptions = {}): Sandbox {
  const home = mkdtempSync(join(tmpdir(), 'cutover-platform-home-'));
  const appDir = mkdtempSync(join(tmpdir(), 'cutover-platform-app-'));
  cpSync(FIXTURE_APP, appDir, { recursive: true });
  writeFileSync(join(appDir, 'cutover.toml'), manifestText(manifest));
  const run = (args: string[], options?: RunOptions) => cutover(home, args, options);
  const ok = async (args: string[], options?: RunOptions) => {
    const result = await run(args, options);
    if (result.code !== 0) throw new Error(showRun(result));
    return result;
  };
  return {
    home,
    appDir,
    manifest: (o) => writeFileSync(join(appDir, 'cutover.toml'), manifestText(o)),
    message: (text) => writeFileSync(join(appDir, 'message.txt'), `${text}\n`),
    run,
    ok,
    status: async (app = 'shop') => (await ok(['status', app, '--json'])).json(),
    history: async (app = 'shop') => (await ok(['history', app, '--json'])).json(),
    async cleanup() {
      await cutover(home, ['daemon', 'stop', '--apps'], { timeoutMs: 60_000 }).catch(() => undefined);
      // Whatever of this home's daemon is left (its supervisor, a worker): by its environment,
      // which node never rewrites, so a reused pid is never hit.
      for (const pid of daemonProcesses(home)) process.kill(pid, 'SIGKILL');
      // Whatever still runs from this home's images is a leaked container: not for other tests.
      for (const pid of containerProcesses(home).values()) killGroup(pid);
      // Programs that rewrite their environment (nginx) are found by their working directory.
      for (const pid of processesInImages(home)) killGroup(pid);
      rmSync(home, { recursive: true, force: true });
      rmSync(appDir, { recursive: true, force: true });
    },
  };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The supervisor and worker processes of this home's daemon. */
export function daemonProcesses(home: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !processAlive(Number(entry))) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const daemon = argv.includes('daemon') && (argv.includes('run') || argv.includes('worker'));
      if (daemon && environOf(Number(entry)).includes(`CUTOVER_HOME=${home}`)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function environOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Whether a process with this pid exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every live process whose working directory is in one of this state directory's images. */
export function processesInImages(home: string): number[] {
  const images = `${join(home, 'images')}/`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(images) && processAlive(Number(entry)))
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * The live container processes of one state directory, by container id: processes running in
 * one of its images (their cwd) whose environment names the container. Ids repeat across
 * homes (`shop-web-2`), so the image directory is what ties a process to this test.
 */
export function containerProcesses(home: string): Map<string, number> {
  const images = `${join(home, 'images')}/`;
  const found = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readlinkSync(`/proc/${entry}/cwd`).startsWith(images)) continue;
      const variable = environOf(Number(entry)).find((v) => v.startsWith('CUTOVER_CONTAINER='));
      if (variable && processAlive(Number(entry))) found.set(variable.slice(18), Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
