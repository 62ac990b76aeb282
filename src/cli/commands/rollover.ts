// cutover rollover APP [--strategy …] [--detach] [--json] [--timeout 10m] [target flags]
import { requireApp } from '../args.ts';
import type { CliContext } from '../context.ts';
import { noDeployExtras, runAction } from './report-action.ts';

export function rollover(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'rollover',
    'rollover',
    argv,
    1,
    ([app], extra) => {
      noDeployExtras('rollover', extra);
      const name = requireApp('rollover', app);
      return (provider, options) => provider.rollover(name, options);
    },
    (r) => ({ app: r.app, version: r.version }),
  );
}
