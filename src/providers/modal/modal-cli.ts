// The one seam through which cutover runs Modal's own CLI: argument arrays (never a shell),
// the user's environment passed through (Modal reads its credentials itself from ~/.modal.toml
// or MODAL_TOKEN_ID/MODAL_TOKEN_SECRET; cutover never reads, stores or shows them), `-e ENV`
// added to every command, each line of output handed on as it arrives.
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { ProviderError } from '../../engine/provider-error.ts';
import { modalError } from './modal-errors.ts';

/** How one run of `modal` ended. */
export interface ModalRun {
  /** `modal app rollback shop v2`, for messages (without `-e`). */
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr lines in the order they arrived. */
  output: string;
}

export interface RunOptions {
  /** Each line as it arrives (Modal's progress while a deploy or rollover runs). */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  /** Ends the run (SIGTERM) after this long; read-only commands use it, changes do not. */
  timeoutMs?: number;
}

export const installHint =
  'the modal CLI was not found on PATH; install it with `pip install modal` and log in with `modal token new`';

export class ModalCli {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** The Modal environment (`-e`), or undefined for Modal's own default. */
    readonly environment: string | undefined,
  ) {}

  /** Runs `modal ARGS [-e ENV]`; resolves however it exits. Throws only when `modal` cannot start. */
  async run(args: string[], options: RunOptions = {}): Promise<ModalRun> {
    const command = `modal ${args.join(' ')}`;
    const full = this.environment === undefined ? args : [...args, '-e', this.environment];
    const subprocess = execa('modal', full, {
      env: {
        ...this.env,
        // Modal's tables and error panels are as wide as this; wide enough not to wrap messages.
        COLUMNS: this.env.COLUMNS ?? '200',
        PYTHONIOENCODING: 'utf-8',
      },
      extendEnv: false,
      stdin: 'ignore',
      reject: false,
      ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    const lines: string[] = [];
    const read = (stream: NodeJS.ReadableStream | null) =>
      stream &&
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line: string) => {
        lines.push(line);
        options.onLine?.(line);
      });
    read(subprocess.stdout);
    read(subprocess.stderr);
    const result = await subprocess;
    if (result.code === 'ENOENT' || result.code === 'EACCES') {
      throw new ProviderError('usage', installHint, { reason: 'modal-missing' });
    }
    if (result.timedOut) {
      throw new ProviderError(
        'unavailable',
        `${command}: no answer from Modal after ${options.timeoutMs} ms`,
        {
          reason: 'timeout',
          detail: lines.join('\n'),
        },
      );
    }
    return {
      command,
      exitCode: result.exitCode ?? 1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      output: lines.join('\n'),
    };
  }

  /** Runs and requires exit 0; otherwise Modal's message as a ProviderError. */
  async ok(args: string[], options: RunOptions = {}): Promise<ModalRun> {
    const run = await this.run(args, options);
    if (run.exitCode !== 0) throw modalError(run);
    return run;
  }

  /** A read-only `--json` command's stdout. */
  async json(args: string[]): Promise<string> {
    return (await this.ok([...args, '--json'], { timeoutMs: 60_000 })).stdout;
  }
}
