// Watches: chunked NDJSON `{"type","object"}` lines (website api-concepts.md "Efficient
// detection of changes"). A watch from resourceVersion N replays the events after N from the
// store's history, then streams; unset or "0" starts with synthetic ADDED events for what exists.
// An object that starts or stops matching the selector arrives as ADDED or DELETED, as the
// apiserver's cacher sends it (pkg/storage/cacher/cache_watcher.go convertToWatchEvent).
import type { ServerResponse } from 'node:http';
import type { Json } from './json.ts';
import { type FieldRequirement, matchesFields, matchesLabels, type Requirement } from './selectors.ts';
import { type StatusError, tooOld } from './status.ts';
import type { Store, StoreEvent } from './store.ts';
import type { KubeObject, Resource } from './types.ts';

export interface WatchRequest {
  resource: Resource;
  namespace: string | null;
  labels: Requirement[];
  fields: FieldRequirement[];
  resourceVersion: string | null;
  bookmarks: boolean;
  timeoutSeconds: number | null;
  sendInitialEvents: boolean;
  /** Converts each event's object to a Table (the client asked for as=Table); null: as stored. */
  asTable: ((object: KubeObject) => Json) | null;
}

interface Watcher extends WatchRequest {
  res: ServerResponse;
  timer: NodeJS.Timeout | null;
}

/** How a watch from a resourceVersion older than the history is answered. */
export type StaleWatchReply = 'http' | 'event';

const KINDS: Record<Resource, { kind: string; apiVersion: string }> = {
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
  pods: { kind: 'Pod', apiVersion: 'v1' },
  namespaces: { kind: 'Namespace', apiVersion: 'v1' },
};

/** The fields a fieldSelector may name, per resource (plus metadata.name/namespace for all). */
export function selectableFields(resource: Resource, object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.name': object.metadata.name,
    'metadata.namespace': object.metadata.namespace ?? '',
  };
  if (resource === 'pods' && object.kind === 'Pod') {
    fields['status.phase'] = object.status.phase;
    fields['spec.nodeName'] = object.spec.nodeName ?? '';
  }
  return fields;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly store: Store,
    private readonly staleReply: () => StaleWatchReply,
  ) {
    store.onEvent((event) => {
      for (const w of this.watchers) this.deliver(w, event);
    });
  }

  get open(): number {
    return this.watchers.size;
  }

  private matches(w: WatchRequest, object: KubeObject | null): boolean {
    if (!object) return false;
    if (w.namespace && object.metadata.namespace !== w.namespace) return false;
    return (
      matchesLabels(w.labels, object.metadata.labels) &&
      matchesFields(w.fields, selectableFields(w.resource, object))
    );
  }

  /**
   * Starts a watch on `res`, or returns the 410 to answer with when the resourceVersion is
   * older than the history (the caller writes it as an HTTP status).
   */
  start(request: WatchRequest, res: ServerResponse): StatusError | null {
    const rv = request.resourceVersion;
    let replay: StoreEvent[] = [];
    if (rv && rv !== '0') {
      const since = this.store.eventsSince(Number(rv));
      if (since === 'expired') {
        const error = tooOld(Number(rv), this.store.oldestWatchable);
        if (this.staleReply() === 'http') return error;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
        res.end(`${JSON.stringify({ type: 'ERROR', object: error.toJSON() })}\n`);
        return null;
      }
      replay = since;
    }
    const w: Watcher = { ...request, res, timer: null };
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    if (!rv || rv === '0' || request.sendInitialEvents) {
      for (const object of this.store.list(request.resource, request.namespace)) {
        if (this.matches(request, object)) this.send(w, 'ADDED', object);
      }
      if (request.sendInitialEvents && request.bookmarks) this.sendBookmark(w, true);
    }
    for (const event of replay) this.deliver(w, event);
    this.watchers.add(w);
    const drop = () => {
      this.watchers.delete(w);
      if (w.timer) clearTimeout(w.timer);
    };
    res.on('close', drop);
    if (request.timeoutSeconds !== null)
      w.timer = setTimeout(() => this.end(w), request.timeoutSeconds * 1000);
    return null;
  }

  private deliver(w: Watcher, event: StoreEvent): void {
    if (event.resource !== w.resource) return;
    const now = this.matches(w, event.object);
    const before = this.matches(w, event.previous);
    if (event.type === 'DELETED') {
      if (before || now) this.send(w, 'DELETED', event.object);
    } else if (now && before) this.send(w, 'MODIFIED', event.object);
    else if (now) this.send(w, 'ADDED', event.object);
    else if (before) this.send(w, 'DELETED', event.object);
  }

  private send(w: Watcher, type: string, object: Json | KubeObject): void {
    const kube = type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED';
    const body = kube && w.asTable ? w.asTable(object as KubeObject) : object;
    if (!w.res.writableEnded) w.res.write(`${JSON.stringify({ type, object: body })}\n`);
  }

  private sendBookmark(w: Watcher, initialEventsEnd = false): void {
    const metadata: Record<string, Json> = { resourceVersion: String(this.store.resourceVersion) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.send(w, 'BOOKMARK', { ...KINDS[w.resource], metadata });
  }

  private end(w: Watcher): void {
    this.watchers.delete(w);
    if (w.timer) clearTimeout(w.timer);
    if (!w.res.writableEnded) w.res.end();
  }

  /** Every open watch gets the in-stream 410 Expired and is closed; the history is forgotten. */
  expire(): void {
    this.store.expireHistory();
    for (const w of [...this.watchers]) {
      const rv = Number(w.resourceVersion || this.store.oldestWatchable - 1);
      this.send(w, 'ERROR', tooOld(rv, this.store.oldestWatchable).toJSON());
      this.end(w);
    }
  }

  /** A server-side timeout: every open watch ends cleanly. */
  closeAll(): void {
    for (const w of [...this.watchers]) this.end(w);
  }

  /** A BOOKMARK with the current resourceVersion to each watch that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) if (w.bookmarks) this.sendBookmark(w);
  }
}
