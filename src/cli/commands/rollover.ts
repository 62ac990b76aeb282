// cutover rollover APP [--strategy …] [--detach] [--json]
import { durationOption, parse, requireApp, strategyOption } from '../args.ts';
import { type CliContext, connectProvider, userOf } from '../context.ts';
import { reportAction } from './report-action.ts';

export async function rollover(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'rollover',
    argv,
    {
      strategy: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '10m' },
    },
    1,
  );
  const app = requireApp('rollover', positionals[0]);
  const strategy = strategyOption('rollover', values.strategy);
  const timeoutMs = durationOption('rollover', '--timeout', values.timeout);
  const provider = await connectProvider(ctx);
  try {
    const reply = await provider.rollover(app, { user: userOf(ctx), strategy });
    return await reportAction(
      ctx,
      provider,
      reply,
      { json: values.json, detach: values.detach, timeoutMs },
      (r) => ({
        app: r.app,
        version: r.version,
      }),
    );
  } finally {
    provider.close();
  }
}
