// cutover deploy [DIR] [--strategy rolling|recreate] [--detach] [--json] [--timeout 10m]
import { resolve } from 'node:path';
import type { CliContext } from '../context.ts';
import { runAction } from './report-action.ts';

export function deploy(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'deploy',
    argv,
    1,
    ([dir]) =>
      (provider, options) =>
        provider.deploy(resolve(ctx.cwd, dir ?? '.'), options),
    (r) => ({ app: r.app, version: r.version, noop: r.noop }),
  );
}
