// cutover deploy [DIR|FILE|APP] [--image IMAGE [--container NAME]] [--tag T] [--strategy S]
//   [--detach] [--json] [--timeout 10m] [target flags]
// Local and Fly deploy a directory, Modal a Python file, Kubernetes an image into a Deployment.
import { resolve } from 'node:path';
import type { DeployRequest } from '../../engine/provider.ts';
import type { CliContext } from '../context.ts';
import { runAction } from './report-action.ts';

export function deploy(ctx: CliContext, argv: string[]): Promise<number> {
  return runAction(
    ctx,
    'deploy',
    'deploy',
    argv,
    1,
    ([where], extra) =>
      (provider, options) => {
        // Kubernetes names the Deployment; the others a path, resolved here against the cwd.
        const request: DeployRequest =
          provider.platform === 'kubernetes'
            ? { ...(where === undefined ? {} : { app: where }) }
            : { path: resolve(ctx.cwd, where ?? '.') };
        if (extra.image !== undefined) request.image = extra.image;
        if (extra.container !== undefined) request.container = extra.container;
        if (extra.tag !== undefined) request.tag = extra.tag;
        return provider.deploy(request, options);
      },
    (r) => ({ app: r.app, version: r.version, noop: r.noop }),
  );
}
