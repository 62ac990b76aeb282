// The app's output through `modal app logs APP --show-container-id` (py/modal/cli/app.py `logs`):
// each line is prefixed with its container's id (py/modal/_output/pty.py `_build_log_prefix`).
// Without -f Modal fetches the last N entries (its default 100, at most its fetch limit);
// -f streams until cutover stops it. Modal does not combine --tail with -f.
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { LogLine, LogOptions } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import { installHint } from './modal-cli.ts';
import { modalError } from './modal-errors.ts';
import { checkAppName } from './names.ts';

const prefixed = /^(ta-[A-Za-z0-9]+) (.*)$/;

/** `ta-01J… hello` → container and text; lines without one (system lines) have container ''. */
export function logLineOf(line: string): LogLine {
  const m = prefixed.exec(line);
  return m ? { container: m[1]!, text: m[2]! } : { container: '', text: line };
}

export function modalLogArgs(app: string, options: LogOptions): string[] {
  const args = ['app', 'logs', checkAppName(app), '--show-container-id'];
  if (options.follow) args.push('-f');
  else if (options.tail !== undefined) args.push('--tail', String(options.tail));
  if (options.container !== undefined) {
    if (!/^ta-[A-Za-z0-9]+$/.test(options.container)) {
      throw new ProviderError(
        'usage',
        `--container ${JSON.stringify(options.container)}: Modal container ids look like ta-…`,
      );
    }
    args.push('--container', options.container);
  }
  return args;
}

export async function* modalLogs(
  env: NodeJS.ProcessEnv,
  environment: string | undefined,
  app: string,
  options: LogOptions,
): AsyncIterable<LogLine> {
  const args = modalLogArgs(app, options);
  const subprocess = execa('modal', environment === undefined ? args : [...args, '-e', environment], {
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
  });
  let stderr = '';
  subprocess.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  if (subprocess.stdout !== null) {
    for await (const line of createInterface({
      input: subprocess.stdout,
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      yield logLineOf(line);
    }
  }
  const result = await subprocess;
  if (result.code === 'ENOENT') throw new ProviderError('usage', installHint, { reason: 'modal-missing' });
  if (result.isCanceled || result.exitCode === 0) return;
  throw modalError({
    command: `modal ${args.join(' ')}`,
    exitCode: result.exitCode ?? 1,
    stdout: '',
    stderr,
    output: stderr,
  });
}
