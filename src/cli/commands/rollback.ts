// cutover rollback APP [VERSION] [--strategy …] [--detach] [--json]
import { durationOption, parse, positiveInteger, requireApp, strategyOption } from '../args.ts';
import { type CliContext, connectProvider, userOf } from '../context.ts';
import { reportAction } from './report-action.ts';

export async function rollback(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'rollback',
    argv,
    {
      strategy: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '10m' },
    },
    2,
  );
  const app = requireApp('rollback', positionals[0]);
  const to =
    positionals[1] === undefined ? undefined : positiveInteger('rollback', 'VERSION', positionals[1]);
  const strategy = strategyOption('rollback', values.strategy);
  const timeoutMs = durationOption('rollback', '--timeout', values.timeout);
  const provider = await connectProvider(ctx);
  try {
    const reply = await provider.rollback(app, to, { user: userOf(ctx), strategy });
    return await reportAction(
      ctx,
      provider,
      reply,
      { json: values.json, detach: values.detach, timeoutMs },
      (r) => ({
        app: r.app,
        version: r.version,
        rollbackOf: r.rollbackOf,
        noop: r.noop,
      }),
    );
  } finally {
    provider.close();
  }
}
