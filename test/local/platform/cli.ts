// Runs the real `bin/cutover.js` as a child process, the way an operator or a CI script does:
// argument arrays, no terminal on stdin, stdout and stderr captured, --json parsed.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The real command, as built by `npm run build` (vitest's global setup builds it). */
export const BIN = resolve(here, '../../../bin/cutover.js');

/** How one run of the command ended. */
export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Parses stdout as the one JSON document --json prints; throws with the output if it is not. */
  json<T = unknown>(): T;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** The run is killed (and the test fails) past this; default 60 s. */
  timeoutMs?: number;
  /** Run as this user (the test process must be root to ask). */
  uid?: number;
  gid?: number;
}

export function showRun(r: Pick<CliResult, 'args' | 'code' | 'signal' | 'stdout' | 'stderr'>): string {
  return `cutover ${r.args.join(' ')} → exit ${r.code ?? r.signal}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

/** Runs bin/cutover.js with `args`; resolves however it exits. */
export function cutover(home: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The user must be the OS user (history's `user`), and output must not be coloured.
    if (value !== undefined && key !== 'CUTOVER_USER' && key !== 'FORCE_COLOR') env[key] = value;
  }
  Object.assign(env, { CUTOVER_HOME: home, NO_COLOR: '1' }, options.env);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? home,
      env,
      // stdin is /dev/null: never a terminal, so nothing can wait for a person.
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`timed out after ${timeoutMs} ms: cutover ${args.join(' ')}\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result: CliResult = {
        args,
        code,
        signal,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`not one JSON document:\n${showRun(result)}`);
          }
        },
      };
      done(result);
    });
  });
}

/** Polls `probe` until it returns something other than undefined/false; throws past the timeout. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/** Runs a command that streams (`watch --json`) until its first line of output, then ends it. */
export function firstLine(home: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: home,
      env: { ...process.env, CUTOVER_HOME: home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const end = (settle: () => void) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      settle();
    };
    const timer = setTimeout(
      () => end(() => fail(new Error(`no output from cutover ${args.join(' ')}:\n${stderr}`))),
      timeoutMs,
    );
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) end(() => done(stdout.slice(0, nl)));
    });
    child.once('close', (code) =>
      end(() => fail(new Error(`cutover ${args.join(' ')} exited ${code}:\n${stdout}${stderr}`))),
    );
  });
}
