// The Fly provider's entry point: the CLI calls openFly with the target's fields.
import type { Provider } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';

export interface FlyOptions {
  env: NodeJS.ProcessEnv;
  /** A directory of its own under the state directory, for what it records. */
  stateDir: string;
  /** The target's name in the config file, or null. */
  name: string | null;
  [field: string]: unknown;
}

export async function openFly(_options: FlyOptions): Promise<Provider> {
  throw new ProviderError('usage', 'the fly platform is not built yet');
}
