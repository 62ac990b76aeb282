// What deploy, rollback and rollover have in common after the engine replied: print the
// result (text or --json), then unless --detach wait for the rollout to end.
import type { CommandReply } from '../../engine/effects.ts';
import type { Provider } from '../../engine/provider.ts';
import type { CliContext } from '../context.ts';
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
  provider: Provider,
  reply: CommandReply & { output?: string },
  flags: ActionFlags,
  json: (reply: Extract<CommandReply, { ok: true }>) => Record<string, unknown>,
): Promise<number> {
  if (!reply.ok) {
    if (reply.output) ctx.stderr.write(`${reply.output.trimEnd()}\n`);
    if (flags.json) printJson(ctx, { app: reply.app, error: { code: reply.code, message: reply.message } });
    ctx.stderr.write(`error: ${reply.message}\n`);
    return refusalCode(reply);
  }
  for (const warning of reply.warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (!flags.json) println(ctx, reply.message);
  if (reply.noop || flags.detach) {
    if (flags.json) printJson(ctx, json(reply));
    return EXIT.ok;
  }
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
