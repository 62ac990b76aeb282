// The Modal provider's entry point: the CLI calls openModal with the target's fields
// (`--platform modal`, `-e ENV`, or a target with platform "modal").
import type { Provider } from '../../engine/provider.ts';
import { ModalProvider } from './modal-provider.ts';
import { checkEnvironment } from './names.ts';

export interface ModalOptions {
  env: NodeJS.ProcessEnv;
  /** A directory of its own under the state directory, for what it records. */
  stateDir: string;
  /** The target's name in the config file, or null. */
  name: string | null;
  /** The Modal environment (`-e`); Modal's own default (MODAL_ENVIRONMENT, the profile's) when absent. */
  environment?: string;
}

export async function openModal(options: ModalOptions): Promise<Provider> {
  const environment = options.environment === undefined ? undefined : checkEnvironment(options.environment);
  return new ModalProvider(options.env, options.stateDir, environment);
}
