// cutover rollback APP [VERSION] [--strategy …] [--detach] [--json] [--timeout 10m] [target flags]

import type { Provider } from '../../engine/provider.ts';
import { positiveInteger, requireApp } from '../args.ts';
import type { CliContext } from '../context.ts';
import { noDeployExtras, runAction } from './report-action.ts';

/** B1: a version whose own rollout failed may be chosen, but never without saying so. */
async function warnIfFailed(ctx: CliContext, provider: Provider, app: string, to: number): Promise<void> {
  const history = await provider.history(app, 1000);
  if (history.find((v) => v.version === to)?.outcome === 'failed') {
    ctx.stderr.write(`warning: v${to}'s own rollout failed; rolling back to it anyway\n`);
  }
}

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
      return async (provider, options) => {
        if (to !== undefined) await warnIfFailed(ctx, provider, name, to);
        return provider.rollback(name, to, options);
      };
    },
    (r) => ({ app: r.app, version: r.version, rollbackOf: r.rollbackOf, noop: r.noop, message: r.message }),
  );
}
