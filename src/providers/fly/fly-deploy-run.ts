// One `fly deploy`, run the way an operator's rollout must survive them: in its own session
// (detached, so a dropped SSH connection or a quit screen does not stop it halfway), its output
// written to a log file in cutover's store (0600) and read back line by line into the app's event
// log. FLY_EMIT_RELEASE_JSON=1 makes flyctl print `{"id":…,"version":N,"image_ref":…}` when the
// deploy succeeds (deploy/machines_deploymachinesapp.go), which names the release exactly even
// when someone else deploys at the same time.

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { flyEnv } from './fly-cli.ts';

/** The release flyctl reports having made. */
export interface EmittedRelease {
  id: string;
  version: number;
  image_ref: string;
}

export interface DeployOutcome {
  exitCode: number | null;
  release: EmittedRelease | null;
  /** Everything flyctl printed (stdout and stderr, interleaved as written). */
  output: string;
}

/** The release line, if `line` is one. */
export function emittedRelease(line: string): EmittedRelease | null {
  const text = line.trim();
  if (!text.startsWith('{"id"')) return null;
  try {
    const value = JSON.parse(text) as Partial<EmittedRelease>;
    if (typeof value.id !== 'string' || !Number.isInteger(value.version)) return null;
    return { id: value.id, version: value.version as number, image_ref: String(value.image_ref ?? '') };
  } catch {
    return null;
  }
}

/** A running `fly deploy`; `detach` lets this process exit while flyctl goes on. */
export interface DeployRun {
  done: Promise<DeployOutcome>;
  detach: () => void;
}

export function startFlyDeploy(
  fly: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string; onLine: (line: string) => void },
): DeployRun {
  const { O_CREAT, O_EXCL, O_WRONLY, O_APPEND, O_NOFOLLOW, O_RDONLY } = fs.constants;
  const out = fs.openSync(options.logFile, O_CREAT | O_EXCL | O_WRONLY | O_APPEND | O_NOFOLLOW, 0o600);
  // node's spawn rather than execa: the child writes straight to the log file's descriptor, so it
  // needs nothing from this process once detached (execa's types take no descriptor here).
  let subprocess: ChildProcess;
  try {
    subprocess = spawn(fly, args, {
      cwd: options.cwd,
      env: flyEnv(options.env, { FLY_EMIT_RELEASE_JSON: '1' }),
      detached: true,
      stdio: ['ignore', out, out],
    });
  } finally {
    // The child has its own copy of the descriptor.
    fs.closeSync(out);
  }
  const exited = new Promise<number | null>((resolve) => {
    subprocess.once('error', () => resolve(null));
    subprocess.once('exit', (code) => resolve(code));
  });
  const input = fs.openSync(options.logFile, O_RDONLY | O_NOFOLLOW);
  let offset = 0;
  let partial = '';
  let output = '';
  let release: EmittedRelease | null = null;
  const drain = () => {
    const chunk = Buffer.alloc(64 * 1024);
    for (;;) {
      const n = fs.readSync(input, chunk, 0, chunk.length, offset);
      if (n <= 0) break;
      offset += n;
      const text = partial + chunk.subarray(0, n).toString('utf8');
      output += chunk.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        release = emittedRelease(line) ?? release;
        options.onLine(line);
      }
    }
  };
  const tail = setInterval(drain, 200);
  let detached = false;
  const done = (async (): Promise<DeployOutcome> => {
    const exitCode = await exited;
    clearInterval(tail);
    drain();
    if (partial !== '') {
      release = emittedRelease(partial) ?? release;
      options.onLine(partial);
      partial = '';
    }
    fs.closeSync(input);
    return { exitCode, release, output };
  })();
  return {
    done,
    detach: () => {
      if (detached) return;
      detached = true;
      clearInterval(tail);
      subprocess.unref();
    },
  };
}
