// `cutover logs` on Kubernetes: each pod's output through the API's log endpoint (kubectl logs).
// A container that crashed and restarted shows its previous run's output (kubectl logs -p).
import type { V1Pod } from '@kubernetes/client-node';
import type { LogLine, LogOptions } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { KubeApi } from './kube-api.ts';

/** `pod` for a one-container pod, `pod/container` when it has several. */
function streams(pod: V1Pod): { id: string; pod: string; container: string; previous: boolean }[] {
  const containers = pod.spec?.containers ?? [];
  return containers.map((c) => {
    const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
    const crashed = (status?.restartCount ?? 0) > 0 && !status?.state?.running;
    const name = pod.metadata?.name ?? '';
    return {
      id: containers.length > 1 ? `${name}/${c.name}` : name,
      pod: name,
      container: c.name,
      previous: crashed,
    };
  });
}

function lines(id: string, text: string): LogLine[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((t) => ({ container: id, text: t }));
}

export async function* podLogs(api: KubeApi, pods: V1Pod[], options: LogOptions): AsyncGenerator<LogLine> {
  let chosen = pods.flatMap(streams);
  if (options.container !== undefined) {
    const wanted = options.container;
    chosen = chosen.filter((s) => s.id === wanted || s.pod === wanted);
    if (chosen.length === 0) {
      const known = pods.map((p) => p.metadata?.name).join(', ') || 'none';
      throw new ProviderError('not-found', `no pod ${wanted} in this Deployment (pods: ${known})`);
    }
  }
  if (!options.follow) {
    for (const s of chosen) {
      const text = await api.readPodLog(s.pod, s.container, {
        ...(options.tail === undefined ? {} : { tail: options.tail }),
        previous: s.previous,
      });
      yield* lines(s.id, text);
    }
    return;
  }
  // Following: every stream feeds one queue, read in arrival order until the signal ends it.
  const queue: LogLine[] = [];
  let wake: (() => void) | null = null;
  const controllers: AbortController[] = [];
  const partial = new Map<string, string>();
  for (const s of chosen) {
    controllers.push(
      await api.followPodLog(s.pod, s.container, options.tail, (text) => {
        const all = (partial.get(s.id) ?? '') + text;
        const parts = all.split('\n');
        partial.set(s.id, parts.pop() ?? '');
        for (const t of parts) queue.push({ container: s.id, text: t });
        wake?.();
      }),
    );
  }
  const stop = () => wake?.();
  options.signal?.addEventListener('abort', stop);
  try {
    while (!options.signal?.aborted) {
      while (queue.length > 0) yield queue.shift() as LogLine;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    for (const c of controllers) c.abort();
  }
}
