// Parsing one command's arguments strictly: an unknown flag or a missing value is a usage error
// that names it, never silently ignored.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Strategy } from '../engine/types.ts';
import { parseDuration } from '../local/duration.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  maxPositionals: number,
) {
  let parsed: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.replace(/\. To specify .*$/s, '')}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `${command}: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`,
    );
  }
  return parsed;
}

export function strategyOption(command: string, value: string | undefined): Strategy | undefined {
  if (value === undefined) return undefined;
  if (value !== 'rolling' && value !== 'recreate') {
    throw new UsageError(`${command}: --strategy must be rolling or recreate, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `30s`, `500ms`, `2m`, `1h` → milliseconds (the manifest's durations, the same parser). */
export function durationOption(command: string, flag: string, value: string): number {
  const ms = parseDuration(value.trim());
  if (ms === null) {
    throw new UsageError(
      `${command}: ${flag} must be a duration like 30s, 500ms or 2m, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

export function positiveInteger(command: string, what: string, value: string): number {
  const n = Number(value.replace(/^v/, ''));
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${command}: ${what} must be a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

export function requireApp(command: string, app: string | undefined): string {
  if (!app) throw new UsageError(`${command}: which app? (cutover ${command} APP)`);
  return app;
}
