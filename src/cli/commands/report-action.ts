// What deploy, rollback and rollover have in common after the engine replied: print the
// result (text or --json), then unless --detach wait for the rollout to end.
import type { CommandReply } from '../../engine/effects.ts';
import type { Action, CommandOptions, Provider } from '../../engine/provider.ts';
import { localCapabilities } from '../../local/local-provider.ts';
import { appOption, durationOption, parse, requireAction, strategyOption } from '../args.ts';
import { type CliContext, changingTarget, openProvider, targetOptions, userOf } from '../context.ts';
import { refusalCode } from '../exit-codes.ts';
import { printJson, println } from '../output.ts';
import { EXIT, UsageError } from '../usage-error.ts';
import { waitForVersion } from './rollout-progress.ts';

export interface ActionFlags {
  json: boolean;
  detach: boolean;
  timeoutMs: number;
}

/** `json` shapes the --json document from the reply (fields may be added, never renamed). */
export async function reportAction(
  ctx: CliContext,
  command: string,
  provider: Provider,
  reply: CommandReply & { output?: string },
  flags: ActionFlags,
  json: (reply: Extract<CommandReply, { ok: true }>) => Record<string, unknown>,
): Promise<number> {
  if (!reply.ok) {
    if (reply.output) ctx.stderr.write(`${reply.output.trimEnd()}\n`);
    if (flags.json) printJson(ctx, { app: reply.app, error: { code: reply.code, message: reply.message } });
    ctx.stderr.write(`cutover ${command}: ${reply.message}\n`);
    return refusalCode(reply);
  }
  for (const warning of reply.warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (!flags.json) println(ctx, reply.message);
  if (flags.detach) {
    if (flags.json) printJson(ctx, json(reply));
    return EXIT.ok;
  }
  // A no-op too: the version that already has this spec may still be rolling out (D2 changes
  // nothing, but the caller asked for that spec to run): wait for it like any other.
  const end = await waitForVersion(ctx, provider, reply.app, reply.version, {
    timeoutMs: flags.timeoutMs,
    quiet: flags.json,
  });
  if (flags.json) {
    const base = json(reply);
    printJson(ctx, {
      ...base,
      outcome: end.code === EXIT.ok ? 'active' : 'failed',
      // A no-op's own message (whose rollout already does this) says more than the wait's.
      message: reply.noop && typeof base.message === 'string' ? base.message : end.message,
    });
  } else println(ctx, end.message);
  return end.code;
}

type Ok = Extract<CommandReply, { ok: true }>;

/** The flags only a deploy reads; other commands refuse them. */
export interface DeployExtras {
  image: string | undefined;
  container: string | undefined;
  tag: string | undefined;
}

/** Refuses deploy-only flags on rollback and rollover. */
export function noDeployExtras(command: string, extra: DeployExtras): void {
  for (const [flag, value] of Object.entries(extra)) {
    if (value !== undefined) throw new UsageError(`${command}: --${flag} is for deploy`);
  }
}

/**
 * Runs one of deploy, rollback, rollover: the options they share (--strategy, --detach, --json,
 * --timeout), the command itself through the provider, then the report and the wait.
 */
export async function runAction(
  ctx: CliContext,
  command: string,
  action: Action,
  argv: string[],
  maxPositionals: number,
  /** Checks the positionals (throwing a usage error) and returns what sends the command. */
  prepare: (
    positionals: string[],
    extra: DeployExtras,
  ) => (provider: Provider, options: CommandOptions) => Promise<CommandReply>,
  json: (reply: Ok) => Record<string, unknown>,
): Promise<number> {
  const { values, positionals } = parse(
    command,
    argv,
    {
      strategy: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '10m' },
      image: { type: 'string' },
      container: { type: 'string' },
      tag: { type: 'string' },
      'allow-missing-secret': { type: 'string', multiple: true, default: [] },
      // deploy names a directory (its manifest names the app); rollback and rollover name the app.
      ...(command === 'deploy' ? {} : appOption),
      ...targetOptions,
    },
    maxPositionals,
  );
  const target = changingTarget(ctx, command, values);
  // The local platform's choices are known without starting its daemon.
  if (target.platform === 'local') strategyOption(command, values.strategy, localCapabilities, 'local');
  else if (values['allow-missing-secret'].length > 0)
    throw new UsageError(
      `${command}: --allow-missing-secret is for the local platform; ${target.platform} keeps its own secrets`,
    );
  const flags = {
    json: values.json,
    detach: values.detach,
    timeoutMs: durationOption(command, '--timeout', values.timeout),
  };
  // Bad arguments are refused before the daemon is started or asked anything.
  const send = prepare(positionals, { image: values.image, container: values.container, tag: values.tag });
  const provider = await openProvider(ctx, target);
  try {
    requireAction(command, provider.capabilities, action);
    const strategy = strategyOption(command, values.strategy, provider.capabilities, provider.platform);
    const allowMissingSecrets = values['allow-missing-secret'];
    const options: CommandOptions = {
      user: userOf(ctx),
      ...(strategy === undefined ? {} : { strategy }),
      ...(allowMissingSecrets.length === 0 ? {} : { allowMissingSecrets }),
    };
    const reply = await send(provider, options);
    return await reportAction(ctx, command, provider, reply, flags, json);
  } finally {
    provider.close();
  }
}
