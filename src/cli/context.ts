// What every command needs: the state directory, who is asking, and the provider of the target
// it runs against (the local daemon, started if it is not running, unless another is named).
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '../engine/provider.ts';
import { DaemonClient } from '../local/daemon/client.ts';
import { LocalProvider } from '../local/local-provider.ts';
import { ensureStateHome, type StatePaths, stateHome, statePaths } from '../local/paths.ts';
import { resolveTarget, type Target, type TargetFlags } from './targets.ts';
import { UsageError } from './usage-error.ts';

export { targetOptions } from './targets.ts';

export interface CliContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** The script that runs this CLI; the daemon is started as `node <entry> daemon run`. */
  entry: string;
}

export function pathsOf(ctx: CliContext): StatePaths {
  return statePaths(stateHome(ctx.env));
}

/** The operating-system user who ran the command (CUTOVER_USER overrides, for CI bots). */
export function userOf(ctx: CliContext): string {
  if (ctx.env.CUTOVER_USER) return ctx.env.CUTOVER_USER;
  try {
    return userInfo().username;
  } catch {
    return ctx.env.USER ?? 'unknown';
  }
}

/** Where a provider other than local keeps what it records (Fly's release configs, …). */
function providerState(ctx: CliContext, platform: string): string {
  const paths = pathsOf(ctx);
  ensureStateHome(paths);
  return join(paths.home, platform);
}

/** The provider of a target; each platform's code loads only when it is used. */
export async function openProvider(ctx: CliContext, target: Target): Promise<Provider> {
  switch (target.platform) {
    case 'local': {
      const client = await DaemonClient.connect(pathsOf(ctx), {
        start: true,
        entry: ctx.entry,
        env: ctx.env,
      });
      return new LocalProvider(client, ctx.env);
    }
    case 'kubernetes': {
      const { openKubernetes } = await import('../providers/kubernetes/index.ts');
      return openKubernetes({
        env: ctx.env,
        stateDir: providerState(ctx, 'kubernetes'),
        name: target.name,
        ...(target.context === undefined ? {} : { context: target.context }),
        ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
        ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
      });
    }
    case 'fly': {
      const { openFly } = await import('../providers/fly/index.ts');
      return openFly({
        env: ctx.env,
        stateDir: providerState(ctx, 'fly'),
        name: target.name,
        ...(target.org === undefined ? {} : { org: target.org }),
      });
    }
    case 'modal': {
      const { openModal } = await import('../providers/modal/index.ts');
      return openModal({
        env: ctx.env,
        stateDir: providerState(ctx, 'modal'),
        name: target.name,
        ...(target.environment === undefined ? {} : { environment: target.environment }),
      });
    }
  }
}

/** The provider for the target the flags (or $CUTOVER_TARGET, or nothing: local) name. */
export function connectProvider(ctx: CliContext, flags: TargetFlags = {}): Promise<Provider> {
  return openProvider(ctx, resolveTarget(ctx.env, flags));
}

/** What a changing command checks before it asks anything: the target allows changes at all. */
export function changingTarget(ctx: CliContext, command: string, flags: TargetFlags): Target {
  const target = resolveTarget(ctx.env, flags);
  if (target.readonly) {
    const which = target.name ? `target ${target.name} is` : '--readonly was given, so this run is';
    throw new UsageError(`${command}: ${which} read-only; nothing was changed`);
  }
  return target;
}
