// The Kubernetes provider's entry point: the CLI calls openKubernetes with the target's fields.
import type { Provider } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import { KubeApi } from './kube-api.ts';
import { loadKubeTarget } from './kube-config.ts';
import { KubernetesProvider } from './kubernetes-provider.ts';
import { defaultTiming, type WatchTiming } from './resource-watch.ts';

export interface KubernetesOptions {
  env: NodeJS.ProcessEnv;
  /** A directory of its own under the state directory (unused: the cluster keeps the history). */
  stateDir: string;
  /** The target's name in the config file, or null. */
  name: string | null;
  context?: string;
  namespace?: string;
  kubeconfig?: string;
  /** How watches time out and retry; the defaults suit a real cluster. */
  timing?: Partial<WatchTiming>;
}

/**
 * Loads the kubeconfig (no server contacted), then asks for the namespace once: a namespace that
 * does not exist is bad input (exit 2) before anything else is sent.
 */
export async function openKubernetes(options: KubernetesOptions): Promise<Provider> {
  const target = loadKubeTarget({
    env: options.env,
    ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
  });
  const api = new KubeApi(target);
  if (!(await api.namespaceExists())) {
    throw new ProviderError(
      'not-found',
      `namespace "${target.namespace}" not found in context ${target.context}`,
      {
        reason: 'unknown-namespace',
      },
    );
  }
  return new KubernetesProvider(api, { ...defaultTiming, ...options.timing });
}
