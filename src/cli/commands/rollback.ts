// cutover rollback APP [VERSION] [--strategy …] [--detach] [--json] [--timeout 10m]
import { positiveInteger, requireApp } from '../args.ts';
import type { CliContext } from '../context.ts';
import { runAction } from './report-action.ts';

export function rollback(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'rollback',
    argv,
    2,
    ([app, version]) => {
      const name = requireApp('rollback', app);
      const to = version === undefined ? undefined : positiveInteger('rollback', 'VERSION', version);
      return (provider, options) => provider.rollback(name, to, options);
    },
    (r) => ({ app: r.app, version: r.version, rollbackOf: r.rollbackOf, noop: r.noop }),
  );
}
