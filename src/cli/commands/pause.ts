// cutover pause APP / cutover resume APP [--json] [target flags] — P1: a paused rollout starts
// and drains nothing until it is resumed; a command that arrives meanwhile supersedes it (C1).
import type { CommandReply } from '../../engine/effects.ts';
import type { Provider } from '../../engine/provider.ts';
import { appOption, parse, requireAction, requireApp } from '../args.ts';
import { type CliContext, changingTarget, openProvider, targetOptions, userOf } from '../context.ts';
import { refusalCode } from '../exit-codes.ts';
import { printJson, println } from '../output.ts';
import { EXIT } from '../usage-error.ts';

async function run(
  ctx: CliContext,
  command: 'pause' | 'resume',
  argv: string[],
  send: (provider: Provider, app: string, user: string) => Promise<CommandReply>,
): Promise<number> {
  const { values, positionals } = parse(
    command,
    argv,
    { json: { type: 'boolean', default: false }, ...appOption, ...targetOptions },
    1,
  );
  const app = requireApp(command, positionals[0]);
  const provider = await openProvider(ctx, changingTarget(ctx, command, values));
  try {
    requireAction(command, provider.capabilities, 'pause');
    const reply = await send(provider, app, userOf(ctx));
    if (!reply.ok) {
      if (values.json) printJson(ctx, { app, error: { code: reply.code, message: reply.message } });
      ctx.stderr.write(`cutover ${command}: ${reply.message}\n`);
      return refusalCode(reply);
    }
    if (values.json)
      printJson(ctx, { app, paused: command === 'pause', noop: reply.noop, message: reply.message });
    else println(ctx, reply.message);
    return EXIT.ok;
  } finally {
    provider.close();
  }
}

export const pause = (ctx: CliContext, argv: string[]) =>
  run(ctx, 'pause', argv, (provider, app, user) => provider.pause(app, { user }));

export const resume = (ctx: CliContext, argv: string[]) =>
  run(ctx, 'resume', argv, (provider, app, user) => provider.resume(app, { user }));
