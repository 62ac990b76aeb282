// What every Fly test starts from: the HTTP fake of Fly's APIs, the fake `fly` first on PATH, a
// CUTOVER_HOME and a HOME of their own, and the environment that points cutover and the fake
// `fly` at the fake (the variables flyctl itself honours). Like lazygit's FakeCmdObjRunner, the
// test says which `fly` calls it expects; `verifyFly` fails on a missing call or any other one.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { BIN, type CliResult, cutover, type RunOptions } from '../../local/platform/cli.ts';
import { FlyApiFake } from './fly-api-fake.ts';

export const FAKE_FLY_BIN = join(dirname(fileURLToPath(import.meta.url)), 'bin');
export const TOKEN = 'fo1_cutover-test-token';

/** One recorded invocation of the fake `fly`. */
export interface FlyCall {
  args: string[];
  cwd: string;
  /** The text of the file given with -c, as it was when fly ran. */
  config: string | null;
  emit: string | null;
}

/** A running `watch --json`. */
export interface WatchStream {
  snapshots: Snapshot[];
  /** The first snapshot (already seen or to come) matching; rejects past the timeout. */
  until(what: string, predicate: (s: Snapshot) => boolean, timeoutMs?: number): Promise<Snapshot>;
  stop(): Promise<void>;
}

/** An expected argument: exact text, a pattern, or a check. */
export type ArgMatcher = string | RegExp | ((arg: string) => boolean);

export interface AppFiles {
  flyToml: string;
  /** `LABEL fake.checks="critical"` makes the built image fail its checks. */
  dockerfile?: string;
  files?: Record<string, string>;
}

export class FlySandbox {
  readonly api = new FlyApiFake(TOKEN);
  readonly root = mkdtempSync(join(tmpdir(), 'cutover-fly-'));
  readonly home = join(this.root, 'cutover-home');
  /** HOME for cutover and fly: no ~/.fly/config.yml unless a test writes one. */
  readonly userHome = join(this.root, 'user-home');
  readonly log = join(this.root, 'fly-calls.jsonl');
  private readonly expected: ArgMatcher[][] = [];

  static async start(): Promise<FlySandbox> {
    const sandbox = new FlySandbox();
    mkdirSync(sandbox.userHome, { recursive: true });
    mkdirSync(sandbox.home, { recursive: true, mode: 0o700 });
    await sandbox.api.start();
    return sandbox;
  }

  /** The environment cutover (and the fake fly under it) runs with. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${FAKE_FLY_BIN}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: this.userHome,
      FLY_API_TOKEN: TOKEN,
      FLY_ACCESS_TOKEN: '',
      FLY_FLAPS_BASE_URL: this.api.url,
      FLY_UIEX_BASE_URL: this.api.url,
      FLY_API_BASE_URL: this.api.url,
      FAKE_FLY_LOG: this.log,
      CUTOVER_USER: 'alice',
      ...extra,
    };
  }

  /** `cutover ARGS` against the fake. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return cutover(this.home, args, { ...options, env: { ...this.env(), ...options.env } });
  }

  /** `cutover deploy DIR --platform fly ARGS`, which must succeed (its output is the failure message). */
  async deploy(dir: string, ...args: string[]): Promise<CliResult> {
    const r = await this.run(['deploy', dir, '--platform', 'fly', ...args]);
    if (r.code !== 0) throw new Error(`cutover deploy ${dir} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** `fly deploy` run directly in DIR (outside cutover), which must succeed. */
  async flyDeploy(dir: string, extra: Record<string, string> = {}): Promise<void> {
    const r = await this.fly(['deploy'], dir, extra);
    if (r.code !== 0) throw new Error(`fly deploy in ${dir} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  }

  /** `fly ARGS` run directly, as an operator (or CI) deploying outside cutover would. */
  fly(
    args: string[],
    cwd: string,
    extra: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        join(FAKE_FLY_BIN, 'fly'),
        args,
        { cwd, env: { ...process.env, ...this.env(extra) } },
        (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  /** `cutover watch APP --platform fly --json` running: every snapshot it prints, as it prints it. */
  watchJson(app: string, args: string[] = []): WatchStream {
    const child = spawn(process.execPath, [BIN, 'watch', app, '--platform', 'fly', '--json', ...args], {
      cwd: this.home,
      env: { ...process.env, CUTOVER_HOME: this.home, NO_COLOR: '1', ...this.env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const snapshots: Snapshot[] = [];
    let buffer = '';
    let stderr = '';
    const waiters = new Set<() => void>();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        snapshots.push(JSON.parse(buffer.slice(0, nl)) as Snapshot);
        buffer = buffer.slice(nl + 1);
      }
      for (const w of waiters) w();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    return {
      snapshots,
      until(what, predicate, timeoutMs = 30_000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const found = snapshots.find(predicate);
            if (!found) return;
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(
              new Error(
                `no snapshot with ${what} after ${timeoutMs} ms (${snapshots.length} seen)\n${stderr}`,
              ),
            );
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }

  /** A directory with a fly.toml (and a Dockerfile), as `fly launch` leaves one. */
  appDir(name: string, files: AppFiles): string {
    const dir = join(this.root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fly.toml'), files.flyToml);
    writeFileSync(
      join(dir, 'Dockerfile'),
      files.dockerfile ?? 'FROM node:20-slim\nCOPY . .\nCMD ["node", "server.js"]\n',
    );
    for (const [file, text] of Object.entries(files.files ?? {})) writeFileSync(join(dir, file), text);
    return dir;
  }

  /** Every invocation of the fake `fly` so far. */
  flyCalls(): FlyCall[] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as FlyCall);
  }

  /** Expects one more `fly` call, in this order. */
  expectFly(...args: ArgMatcher[]): void {
    this.expected.push(args);
  }

  /** Throws unless the calls made are exactly the expected ones, in order. */
  verifyFly(): void {
    const calls = this.flyCalls();
    const show = (c: FlyCall) => `fly ${c.args.join(' ')}`;
    const matches = (m: ArgMatcher, a: string | undefined) =>
      a !== undefined && (typeof m === 'string' ? m === a : m instanceof RegExp ? m.test(a) : m(a));
    for (const [i, want] of this.expected.entries()) {
      const call = calls[i];
      if (!call)
        throw new Error(
          `expected call ${i + 1} was not made: fly ${want.map(String).join(' ')}\nmade:\n${calls.map(show).join('\n')}`,
        );
      if (call.args.length !== want.length || !want.every((m, j) => matches(m, call.args[j]))) {
        throw new Error(`call ${i + 1} was ${show(call)}\nexpected: fly ${want.map(String).join(' ')}`);
      }
    }
    if (calls.length > this.expected.length) {
      throw new Error(`unexpected fly calls:\n${calls.slice(this.expected.length).map(show).join('\n')}`);
    }
  }

  async cleanup(): Promise<void> {
    await this.api.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fly.toml for the tests' app: an HTTP service with a check, optional env and mounts. */
export function flyToml(
  o: {
    app?: string;
    env?: Record<string, string>;
    mount?: string;
    memory?: number;
    strategy?: string;
    checks?: boolean;
  } = {},
): string {
  return [
    `app = "${o.app ?? 'shop'}"`,
    'primary_region = "ord"',
    '',
    ...(o.strategy ? ['[deploy]', `  strategy = "${o.strategy}"`, ''] : []),
    '[env]',
    ...Object.entries(o.env ?? { LOG_LEVEL: 'info' }).map(([k, v]) => `  ${k} = "${v}"`),
    '',
    '[http_service]',
    '  internal_port = 8080',
    '  force_https = true',
    '  auto_stop_machines = "stop"',
    '  auto_start_machines = true',
    '  min_machines_running = 0',
    ...(o.checks === false
      ? []
      : [
          '',
          '  [[http_service.checks]]',
          '    interval = "10s"',
          '    timeout = "2s"',
          '    grace_period = "5s"',
          '    method = "GET"',
          '    path = "/healthz"',
        ]),
    '',
    ...(o.mount ? ['[mounts]', `  source = "${o.mount}"`, '  destination = "/data"', ''] : []),
    '[[vm]]',
    `  memory = "${o.memory ?? 256}mb"`,
    '  cpu_kind = "shared"',
    '  cpus = 1',
    '',
  ].join('\n');
}
