// cutover rollback APP [VERSION] [--strategy …] [--detach] [--json] [--timeout 10m] [target flags]
import { positiveInteger, requireApp } from '../args.ts';
import type { CliContext } from '../context.ts';
import { noDeployExtras, runAction } from './report-action.ts';

export function rollback(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'rollback',
    'rollback',
    argv,
    2,
    ([app, version], extra) => {
      noDeployExtras('rollback', extra);
      const name = requireApp('rollback', app);
      const to = version === undefined ? undefined : positiveInteger('rollback', 'VERSION', version);
      return (provider, options) => provider.rollback(name, to, options);
    },
    (r) => ({ app: r.app, version: r.version, rollbackOf: r.rollbackOf, noop: r.noop, message: r.message }),
  );
}
