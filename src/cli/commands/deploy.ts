// cutover deploy [DIR] [--strategy rolling|recreate] [--detach] [--json] [--timeout 10m]
import { resolve } from 'node:path';
import { durationOption, parse, strategyOption } from '../args.ts';
import { type CliContext, connectProvider, userOf } from '../context.ts';
import { reportAction } from './report-action.ts';

export async function deploy(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'deploy',
    argv,
    {
      strategy: { type: 'string' },
      detach: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '10m' },
    },
    1,
  );
  const strategy = strategyOption('deploy', values.strategy);
  const timeoutMs = durationOption('deploy', '--timeout', values.timeout);
  const dir = resolve(ctx.cwd, positionals[0] ?? '.');
  const provider = await connectProvider(ctx);
  try {
    const reply = await provider.deploy(dir, { user: userOf(ctx), strategy });
    return await reportAction(
      ctx,
      provider,
      reply,
      { json: values.json, detach: values.detach, timeoutMs },
      (r) => ({
        app: r.app,
        version: r.version,
        noop: r.noop,
      }),
    );
  } finally {
    provider.close();
  }
}
