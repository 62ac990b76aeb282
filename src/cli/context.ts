// What every command needs: the state directory, who is asking, and a connection to the daemon.
import { userInfo } from 'node:os';
import { DaemonClient } from '../local/daemon/client.ts';
import { LocalProvider } from '../local/local-provider.ts';
import { type StatePaths, stateHome, statePaths } from '../local/paths.ts';

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

/** A provider over the daemon, starting the daemon if it is not running. */
export async function connectProvider(ctx: CliContext): Promise<LocalProvider> {
  const client = await DaemonClient.connect(pathsOf(ctx), { start: true, entry: ctx.entry, env: ctx.env });
  return new LocalProvider(client, ctx.env);
}
