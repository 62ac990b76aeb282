// The Fly provider's entry point: the CLI calls openFly with the target's fields. Opening needs
// only the token (for watching); `fly` itself is looked for when a command needs it.
import type { Provider } from '../../engine/provider.ts';
import type { PollTiming } from './app-feed.ts';
import { endpointsFrom } from './endpoints.ts';
import { FlyApi } from './fly-api.ts';
import { FlyProvider } from './fly-provider.ts';
import { findToken } from './fly-token.ts';
import { ownerOnlyDirectory } from './owner-only-files.ts';
import { ReleaseStore } from './release-store.ts';

export interface FlyOptions {
  env: NodeJS.ProcessEnv;
  /** A directory of its own under the state directory, for what it records. */
  stateDir: string;
  /** The target's name in the config file, or null. */
  name: string | null;
  /** The Fly organisation (its slug), where the target names one. */
  org?: string;
  /** How often and how patiently apps are polled; flyctl-like defaults when absent. */
  timing?: PollTiming;
  [field: string]: unknown;
}

export async function openFly(options: FlyOptions): Promise<Provider> {
  const token = findToken(options.env);
  ownerOnlyDirectory(options.stateDir, options.stateDir);
  const api = new FlyApi(endpointsFrom(options.env, token));
  return new FlyProvider(api, new ReleaseStore(options.stateDir), {
    env: options.env,
    org: options.org ?? null,
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
}
