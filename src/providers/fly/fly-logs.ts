// The app's logs through `fly logs --json` (flyctl internal/command/logs/logs.go): Fly's log
// service is reached over flyctl's NATS or polling clients, which cutover does not reimplement.
// Each entry is a logs.LogEntry (flyctl logs/entry.go): `instance` is the machine id.
import { execa } from 'execa';
import type { LogLine, LogOptions } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import { flyEnv } from './fly-cli.ts';
import { JsonObjects } from './json-objects.ts';

interface LogEntry {
  instance?: string;
  message?: string;
  level?: string;
  timestamp?: string;
}

function lineOf(entry: unknown): LogLine | null {
  const e = entry as LogEntry;
  if (typeof e !== 'object' || e === null || typeof e.message !== 'string') return null;
  return { container: e.instance || 'fly', text: e.message };
}

/** Keeps the last `n` lines of each container, in their order. */
export function lastPerContainer(lines: LogLine[], n: number): LogLine[] {
  const counts = new Map<string, number>();
  const kept: LogLine[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const seen = counts.get(line.container) ?? 0;
    if (seen >= n) continue;
    counts.set(line.container, seen + 1);
    kept.push(line);
  }
  return kept.reverse();
}

/**
 * `fly logs -a APP --json [--no-tail] [--machine ID]`, as lines. Without follow, `--no-tail`
 * reads Fly's buffer and `tail` keeps the last N lines of each machine; with follow every line
 * flyctl prints goes out as it comes, until the signal.
 */
export async function* flyLogs(
  fly: string,
  app: string,
  options: LogOptions,
  env: NodeJS.ProcessEnv,
  cwd: string,
): AsyncGenerator<LogLine> {
  const args = ['logs', '-a', app, '--json'];
  if (!options.follow) args.push('--no-tail');
  if (options.container !== undefined) args.push('--machine', options.container);
  const subprocess = execa(fly, args, {
    cwd,
    env: flyEnv(env),
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    buffer: false,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  const parser = new JsonObjects();
  const pending: LogLine[] = [];
  let stderr = '';
  subprocess.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  try {
    for await (const chunk of subprocess.stdout!) {
      for (const entry of parser.push(String(chunk))) {
        const line = lineOf(entry);
        if (line === null) continue;
        // Following, lines go out as they come (flyctl has no --tail of its own to trim with).
        if (options.follow) yield line;
        else pending.push(line);
      }
    }
  } finally {
    if (!subprocess.killed && subprocess.exitCode === null) subprocess.kill();
  }
  const result = await subprocess;
  if (!options.signal?.aborted && result.exitCode !== 0 && result.exitCode !== undefined) {
    throw new ProviderError(
      'failed',
      `fly logs exited ${result.exitCode}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
    );
  }
  yield* options.tail === undefined ? pending : lastPerContainer(pending, options.tail);
}
