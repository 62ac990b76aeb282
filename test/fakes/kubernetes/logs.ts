// GET /api/v1/namespaces/NS/pods/POD/log: plain text, `container`, `tailLines`, `previous`,
// `timestamps`, `follow` (the response stays open and streams new lines until the pod goes).
// Error messages as the kubelet and apiserver word them (pkg/kubelet/kubelet_pods.go
// validateContainerLogStatus, pkg/registry/core/pod/strategy.go LogLocation).
import type { ServerResponse } from 'node:http';
import { flag, type ParsedRequest, type Reply } from './http-io.ts';
import type { Kubelet, LogLine } from './kubelet.ts';
import { badRequest, notFound } from './status.ts';
import type { Store } from './store.ts';
import type { Pod } from './types.ts';

const format = (line: LogLine, timestamps: boolean): string =>
  `${timestamps ? `${new Date(line.at).toISOString().replace('Z', '000000Z')} ` : ''}${line.text}\n`;

export class Logs {
  private readonly streams = new Set<ServerResponse>();

  constructor(
    private readonly store: Store,
    private readonly kubelet: Kubelet,
  ) {}

  serve(res: ServerResponse, namespace: string, name: string, request: ParsedRequest): Reply {
    const q = request.query;
    const pod = this.store.get<Pod>('pods', namespace, name);
    if (!pod) throw notFound('pods', '', name);
    const names = pod.spec.containers.map((c) => c.name);
    let container = q.container;
    if (!container) {
      if (names.length !== 1)
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`,
        );
      container = names[0]!;
    }
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    const previous = flag(q.previous);
    const lines = this.kubelet.logs(pod, container, previous);
    if (lines === null) {
      if (previous)
        throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      const waiting = pod.status.containerStatuses?.find((c) => c.name === container)?.state.waiting;
      const reason =
        waiting?.reason === 'ImagePullBackOff' || waiting?.reason === 'ErrImagePull'
          ? 'trying and failing to pull image'
          : (waiting?.reason ?? 'ContainerCreating');
      throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
    }
    const timestamps = flag(q.timestamps);
    const tail =
      q.tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - Number(q.tailLines)));
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (const line of tail) res.write(format(line, timestamps));
    if (!flag(q.follow) || previous) {
      res.end();
      return 'streamed';
    }
    this.streams.add(res);
    const stop = this.kubelet.follow(pod, container, (line) => {
      if (line) res.write(format(line, timestamps));
      else res.end();
    });
    res.on('close', () => {
      stop();
      this.streams.delete(res);
    });
    return 'streamed';
  }

  /** Ends every following stream (the server is going away). */
  endAll(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
