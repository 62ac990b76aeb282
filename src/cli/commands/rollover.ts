// cutover rollover APP [--strategy …] [--detach] [--json] [--timeout 10m]
import { requireApp } from '../args.ts';
import type { CliContext } from '../context.ts';
import { runAction } from './report-action.ts';

export function rollover(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'rollover',
    argv,
    1,
    ([app]) => {
      const name = requireApp('rollover', app);
      return (provider, options) => provider.rollover(name, options);
    },
    (r) => ({ app: r.app, version: r.version }),
  );
}
