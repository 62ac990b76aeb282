// The local platform as the benchmarks drive it: the real `bin/cutover.js` in child processes,
// against a state directory of the run's own, with fixture apps written from a template.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenOf } from './proc.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository's root. */
export const ROOT = resolve(HERE, '..', '..');
/** The CLI as a person runs it. */
export const BIN = join(ROOT, 'bin', 'cutover.js');
const APP_TEMPLATE = join(HERE, 'app');

/** One line a command printed, and when (performance.now()). */
export interface TimedLine {
  at: number;
  text: string;
}

/** How a command ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  endedAt: number;
  lines: TimedLine[];
}

/** What a fixture app's manifest says. */
export interface AppParams {
  name: string;
  containers: number;
  concurrency: number;
  maxSurge: number;
  coldStartMs: number;
  workMs?: number;
  /** Changing it makes a new version with the same code. */
  revision?: number;
}

/** A state directory, a daemon and fixture apps of the run's own; `close` stops and removes them. */
export class BenchPlatform {
  readonly root: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'cutover-bench-'));
    this.home = join(this.root, 'home');
    this.env = { ...process.env, CUTOVER_HOME: this.home, CUTOVER_USER: 'bench' };
    // The screen must look as it does for a person, whatever the caller's environment says.
    for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'CUTOVER_RENDER']) delete this.env[name];
  }

  /** Writes (or rewrites) the fixture app's directory; returns it. */
  writeApp(p: AppParams): string {
    const dir = join(this.root, p.name);
    mkdirSync(dir, { recursive: true });
    for (const file of ['server.js', 'package.json']) copyFileSync(join(APP_TEMPLATE, file), join(dir, file));
    writeFileSync(
      join(dir, 'cutover.toml'),
      [
        `app = "${p.name}"`,
        'strategy = "rolling"',
        '',
        '[[functions]]',
        'name = "web"',
        'command = ["node", "server.js"]',
        `containers = ${p.containers}`,
        `concurrency = ${p.concurrency}`,
        'ready = "/healthz"',
        'drain_timeout = "10s"',
        'start_timeout = "30s"',
        `max_surge = ${p.maxSurge}`,
        // The rollout floor is cold starts; H1's settle window would add a wait of its own.
        'min_ready = "0s"',
        '',
        '[env]',
        `COLD_START_MS = "${p.coldStartMs}"`,
        `WORK_MS = "${p.workMs ?? 0}"`,
        `BENCH_REVISION = "${p.revision ?? 1}"`,
        '',
      ].join('\n'),
    );
    return dir;
  }

  /** Runs `cutover ARGS`; killed (and rejected) after timeoutMs. */
  cli(args: string[], o: { timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
    const timeoutMs = o.timeoutMs ?? 60_000;
    return new Promise((resolvePromise, reject) => {
      const startedAt = performance.now();
      const child = spawn(process.execPath, [BIN, ...args], {
        env: this.env,
        cwd: o.cwd ?? this.root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let partial = '';
      const lines: TimedLine[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        const at = performance.now();
        const text = chunk.toString('utf8');
        stdout += text;
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) lines.push({ at, text: line });
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`cutover ${args.join(' ')}: no answer after ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stdout, stderr, startedAt, endedAt: performance.now(), lines });
      });
    });
  }

  /** Runs `cutover ARGS` and throws with its output unless it exits 0. */
  async ok(args: string[], o: { timeoutMs?: number } = {}): Promise<CliResult> {
    const result = await this.cli(args, o);
    if (result.code !== 0) {
      throw new Error(`cutover ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
    }
    return result;
  }

  /** `cutover status APP --json`. */
  async status(app: string): Promise<StatusJson> {
    return JSON.parse((await this.ok(['status', app, '--json'])).stdout) as StatusJson;
  }

  /** The worker that serves the daemon's sockets (and so runs the proxies), as `daemon status` names it. */
  async workerPid(): Promise<number> {
    return (JSON.parse((await this.ok(['daemon', 'status', '--json'])).stdout) as { pid: number }).pid;
  }

  /** The daemon's pid (its supervisor's, which holds the lock), once it runs. */
  daemonPid(): number | null {
    const file = join(this.home, 'daemon.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8')) : null;
  }

  /** Stops this run's daemon (and so its containers) and removes the state directory. */
  async close(): Promise<void> {
    const pid = this.daemonPid();
    try {
      if (pid !== null) await this.cli(['daemon', 'stop', '--apps'], { timeoutMs: 60_000 });
    } catch {
      // Falls through to the kill below.
    }
    if (pid !== null && alive(pid)) {
      // It did not stop: its containers go first, then the daemon itself.
      for (const target of [...childrenOf(pid), pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The part of `cutover status --json` the benchmarks read. */
export interface StatusJson {
  app: string;
  version: number | null;
  rollout: { from: number | null; to: number; phase: string } | null;
  functions: { name: string; url: string | null; target: number }[];
  containers: { id: string; version: number; state: string }[];
}
