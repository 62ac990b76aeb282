// What deploy, rollback and rollover have in common after the engine replied: print the
// result (text or --json), then unless --detach wait for the rollout to end.
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions, Provider } from '../../engine/provider.ts';
import { durationOption, parse, strategyOption } from '../args.ts';
import { type CliContext, connectProvider, userOf } from '../context.ts';
import { printJson, println } from '../output.ts';
import { EXIT } from '../usage-error.ts';
import { refusalCode, waitForVersion } from './rollout-progress.ts';

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
  if (flags.json)
    printJson(ctx, {
      ...json(reply),
      outcome: end.code === EXIT.ok ? 'active' : 'failed',
      message: end.message,
    });
  else println(ctx, end.message);
  return end.code;
}

type Ok = Extract<CommandReply, { ok: true }>;

/**
 * Runs one of deploy, rollback, rollover: the options they share (--strategy, --detach, --json,
 * --timeout), the command itself through the provider, then the report and the wait.
 */
export async function runAction(
  ctx: CliContext,
  command: string,
  argv: string[],
  maxPositionals: number,
  /** Checks the positionals (throwing a usage error) and returns what sends the command. */
  prepare: (positionals: string[]) => (provider: Provider, options: CommandOptions) => Promise<CommandReply>,
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
      'allow-missing-secret': { type: 'string', multiple: true, default: [] },
    },
    maxPositionals,
  );
  const strategy = strategyOption(command, values.strategy);
  const flags = {
    json: values.json,
    detach: values.detach,
    timeoutMs: durationOption(command, '--timeout', values.timeout),
  };
  // Bad arguments are refused before the daemon is started or asked anything.
  const send = prepare(positionals);
  const provider = await connectProvider(ctx);
  try {
    const allowMissingSecrets = values['allow-missing-secret'];
    const reply = await send(provider, { user: userOf(ctx), strategy, allowMissingSecrets });
    return await reportAction(ctx, command, provider, reply, flags, json);
  } finally {
    provider.close();
  }
}
