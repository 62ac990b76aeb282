// Which cluster, user and namespace, found as kubectl finds them: --kubeconfig, else $KUBECONFIG
// (several files, the first one's current context wins), else ~/.kube/config; --context, else
// the current context; -n, else the context's namespace, else `default`.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ProviderError } from '../../engine/provider-error.ts';

export interface KubeTarget {
  config: KubeConfig;
  context: string;
  namespace: string;
  /** Where it came from, for messages. */
  files: string[];
}

export interface KubeTargetOptions {
  env: NodeJS.ProcessEnv;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

function kubeconfigFiles(options: KubeTargetOptions): string[] {
  if (options.kubeconfig !== undefined) return [options.kubeconfig];
  const fromEnv = (options.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv;
  return [join(options.env.HOME || homedir(), '.kube', 'config')];
}

/** Loads the kubeconfig and picks the context and namespace; contacts no server. */
export function loadKubeTarget(options: KubeTargetOptions): KubeTarget {
  const files = kubeconfigFiles(options).filter((f) => options.kubeconfig !== undefined || existsSync(f));
  const first = files[0];
  if (first === undefined || !existsSync(first)) {
    const named = options.kubeconfig ?? kubeconfigFiles(options).join(delimiter);
    throw new ProviderError(
      'usage',
      `no kubeconfig at ${named}: pass --kubeconfig FILE or set KUBECONFIG (as for kubectl)`,
    );
  }
  const config = new KubeConfig();
  try {
    config.loadFromFile(first);
    for (const file of files.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      config.mergeConfig(more, true);
    }
  } catch (error) {
    throw new ProviderError('usage', `cannot read kubeconfig ${first}: ${(error as Error).message}`);
  }
  const known = config.getContexts().map((c) => c.name);
  const context = options.context ?? config.getCurrentContext();
  if (!context) {
    throw new ProviderError(
      'usage',
      `${first} has no current context; pass --context (known: ${known.join(', ') || 'none'})`,
    );
  }
  const contextObject = config.getContextObject(context);
  if (!contextObject) {
    throw new ProviderError(
      'not-found',
      `context "${context}" is not in ${files.join(delimiter)} (known: ${known.join(', ') || 'none'})`,
      {
        reason: 'unknown-context',
      },
    );
  }
  config.setCurrentContext(context);
  if (!config.getCurrentCluster()) {
    throw new ProviderError(
      'usage',
      `context "${context}" names cluster "${contextObject.cluster}", which ${first} does not define`,
    );
  }
  const namespace = options.namespace ?? contextObject.namespace ?? 'default';
  return { config, context, namespace, files };
}
