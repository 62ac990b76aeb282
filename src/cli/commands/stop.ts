// cutover stop APP [--yes] [--json] — T1: destructive, so it is confirmed first.
import { createInterface } from 'node:readline/promises';
import { appOption, parse, requireAction, requireApp } from '../args.ts';
import { type CliContext, changingTarget, openProvider, targetOptions, userOf } from '../context.ts';
import { refusalCode } from '../exit-codes.ts';
import { printJson, println } from '../output.ts';
import { EXIT, UsageError } from '../usage-error.ts';

async function confirmed(ctx: CliContext, app: string): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    const answer = await rl.question(`Stopping ${app} cannot be undone. Type the app's name to confirm: `);
    return answer.trim() === app;
  } finally {
    rl.close();
  }
}

export async function stop(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'stop',
    argv,
    {
      yes: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...appOption,
      ...targetOptions,
    },
    1,
  );
  const app = requireApp('stop', positionals[0]);
  const target = changingTarget(ctx, 'stop', values);
  if (!values.yes) {
    if (!ctx.stdin.isTTY)
      throw new UsageError(`stop: refusing to stop ${app} without --yes (no terminal to confirm on)`);
    if (!(await confirmed(ctx, app))) {
      ctx.stderr.write(`not stopped: the name did not match ${app}\n`);
      return EXIT.usage;
    }
  }
  const provider = await openProvider(ctx, target);
  try {
    requireAction('stop', provider.capabilities, 'stop');
    const reply = await provider.stop(app, { user: userOf(ctx) });
    if (!reply.ok) {
      if (values.json) printJson(ctx, { app, error: { code: reply.code, message: reply.message } });
      ctx.stderr.write(`cutover stop: ${reply.message}\n`);
      return refusalCode(reply);
    }
    // What the platform cannot promise (Fly's auto-start wakes stopped machines) is said, not hidden.
    for (const warning of reply.warnings) ctx.stderr.write(`warning: ${warning}\n`);
    if (values.json) {
      const warnings = reply.warnings.length > 0 ? { warnings: reply.warnings } : {};
      printJson(ctx, { app, stopped: true, version: reply.version, ...warnings });
    } else println(ctx, reply.message);
    return EXIT.ok;
  } finally {
    provider.close();
  }
}
