// The one seam through which cutover runs flyctl: argument arrays (never a shell), the caller's
// environment (flyctl finds its own token where `fly auth login` left it), and a clear error
// naming how to install flyctl when it is not there. A test puts its own `fly` first on PATH;
// nothing here knows.
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { execa } from 'execa';
import { ProviderError } from '../../engine/provider-error.ts';

export const installHint =
  'fly (flyctl) is not installed or not on PATH: install it with `curl -L https://fly.io/install.sh | sh` ' +
  '(see https://fly.io/docs/flyctl/install/), then run fly auth login; nothing was run';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The flyctl binary: `fly` or `flyctl` on PATH, else where its installer puts it (~/.fly/bin). */
export function findFly(env: NodeJS.ProcessEnv): string {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d !== '' && isAbsolute(d));
  const install = env.FLYCTL_INSTALL || join(env.HOME || homedir(), '.fly');
  dirs.push(join(install, 'bin'));
  for (const dir of dirs) {
    for (const name of ['fly', 'flyctl']) {
      const file = join(dir, name);
      if (executable(file)) return file;
    }
  }
  throw new ProviderError('usage', installHint, { reason: 'fly-missing' });
}

/** How a finished `fly` command went. */
export interface FlyResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The environment flyctl runs in: the caller's, without flyctl's own update check. */
export function flyEnv(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...env, FLY_NO_UPDATE_CHECK: '1', ...extra };
}

/** Runs `fly ARGS` to its end and collects its output; a non-zero exit is a result, not a throw. */
export async function runFly(
  fly: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<FlyResult> {
  const result = await execa(fly, args, {
    cwd: options.cwd,
    env: flyEnv(options.env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.failed && result.exitCode === undefined) {
    throw new ProviderError('failed', `fly ${args[0]} could not run: ${result.shortMessage}`);
  }
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The last line of fly's output that says something: what a failure message quotes. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? '(no output)';
}
