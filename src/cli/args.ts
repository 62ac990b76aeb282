// Parsing one command's arguments strictly: an unknown flag or a missing value is a usage error
// that names it, never silently ignored.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Action, type Capabilities, unavailableReason } from '../engine/provider.ts';
import { parseDuration } from '../local/duration.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `-a APP`, as flyctl and heroku name the app: accepted by every command whose APP comes first. */
export const appOption = { app: { type: 'string', short: 'a' } } as const;

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
  const app = 'app' in options ? (parsed.values as { app?: string }).app : undefined;
  if (app !== undefined) {
    if (app === '') throw new UsageError(`${command}: -a needs an app name`);
    if (parsed.positionals.length >= maxPositionals)
      throw new UsageError(
        `${command}: the app is named twice (-a ${app} and ${JSON.stringify(parsed.positionals[0])})`,
      );
    parsed.positionals.unshift(app);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(
      `${command}: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`,
    );
  }
  return parsed;
}

/** `--strategy` checked against what the platform offers (its capabilities). */
export function strategyOption(
  command: string,
  value: string | undefined,
  capabilities: Capabilities,
  platform: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (!capabilities.strategies.includes(value)) {
    const offered =
      capabilities.strategies.length === 0
        ? `${platform} offers no --strategy`
        : `--strategy must be ${capabilities.strategies.join(', ')} on ${platform}`;
    const note = capabilities.strategyNote ? ` (${capabilities.strategyNote})` : '';
    throw new UsageError(`${command}: ${offered}, got ${JSON.stringify(value)}${note}`);
  }
  return value;
}

/** Refuses an action the platform does not offer, with its reason, before anything is sent. */
export function requireAction(command: string, capabilities: Capabilities, action: Action): void {
  const reason = unavailableReason(capabilities, action);
  if (reason !== null) throw new UsageError(`${command}: ${reason}`);
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
