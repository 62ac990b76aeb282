// The fake cluster's storage: what etcd plus the API server's watch cache are to a real
// cluster. One global resourceVersion counter; every write is an event kept in a bounded
// history, so a watch can resume from any resourceVersion still in it (apiserver
// pkg/storage/cacher/watch_cache.go keeps a sliding window and answers 410 Expired before it).
import { randomUUID } from 'node:crypto';
import { clone, deepEqual } from './json.ts';
import type { KubeObject, Resource } from './types.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resource: Resource;
  /** The object after the write (for DELETED: as it was, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the write; null for ADDED. Watches use it to see selector transitions. */
  previous: KubeObject | null;
  resourceVersion: number;
}

const key = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** The uid of the object's controller (ownerReferences with controller: true), if any. */
const controllerOf = (object: KubeObject): string | undefined =>
  object.metadata.ownerReferences?.find((ref) => ref.controller)?.uid;

export class Store {
  private counter = 1000;
  private readonly objects = new Map<Resource, Map<string, KubeObject>>();
  /** Per controller uid, the keys of the objects it controls (pods of an RS, RSs of a Deployment). */
  private readonly owned = new Map<string, Set<string>>();
  private history: StoreEvent[] = [];
  /** The oldest resourceVersion a watch may start from; older ones are answered 410 Expired. */
  private oldest = 1000;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  constructor(private readonly historyLimit = 300) {}

  get resourceVersion(): number {
    return this.counter;
  }

  get oldestWatchable(): number {
    return this.oldest;
  }

  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private table(resource: Resource): Map<string, KubeObject> {
    let table = this.objects.get(resource);
    if (!table) {
      table = new Map();
      this.objects.set(resource, table);
    }
    return table;
  }

  get<T extends KubeObject>(resource: Resource, namespace: string | undefined, name: string): T | undefined {
    const found = this.table(resource).get(key(namespace, name));
    return found ? (clone(found) as T) : undefined;
  }

  /** Copies of the objects, by namespace and name. */
  list<T extends KubeObject>(resource: Resource, namespace?: string | null): T[] {
    return this.scan<T>(resource, namespace)
      .map((o) => clone(o))
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace}/${b.metadata.name}`,
        ),
      );
  }

  /** The stored objects themselves, for the controllers' reads: never mutate them. */
  scan<T extends KubeObject>(resource: Resource, namespace?: string | null): T[] {
    const out: T[] = [];
    for (const object of this.table(resource).values())
      if (!namespace || object.metadata.namespace === namespace) out.push(object as T);
    return out;
  }

  /** The stored objects of this resource whose controller has this uid: never mutate them. */
  controlledBy<T extends KubeObject>(resource: Resource, uid: string): T[] {
    const table = this.table(resource);
    const out: T[] = [];
    for (const k of this.owned.get(uid) ?? []) {
      if (!k.startsWith(`${resource}:`)) continue;
      const object = table.get(k.slice(resource.length + 1));
      if (object) out.push(object as T);
    }
    return out;
  }

  /** Stores a new object, filling uid, creationTimestamp, generation and resourceVersion. */
  create<T extends KubeObject>(resource: Resource, object: T): T {
    const meta = object.metadata;
    const k = key(meta.namespace, meta.name);
    if (this.table(resource).has(k)) throw new Error(`${resource} ${meta.name} already exists`);
    meta.uid = meta.uid || randomUUID();
    meta.creationTimestamp = meta.creationTimestamp || new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (resource === 'deployments' || resource === 'replicasets') meta.generation = 1;
    return this.commit('ADDED', resource, k, object, null);
  }

  /**
   * Writes a changed object. A write that changes nothing is not a write (no new
   * resourceVersion, no event), as with a real update whose object is unchanged.
   * As the registry strategies do (pkg/registry/apps/deployment/strategy.go and its
   * ReplicaSet and Pod siblings): an update of the object keeps the stored status, and a
   * Deployment's generation moves on a spec or annotation change, a ReplicaSet's on a spec
   * change; an update of the status subresource keeps the stored spec and labels and moves no
   * generation.
   */
  update<T extends KubeObject>(resource: Resource, object: T, subresource: 'main' | 'status' = 'main'): T {
    const meta = object.metadata;
    const k = key(meta.namespace, meta.name);
    const current = this.table(resource).get(k) as T | undefined;
    if (!current) throw new Error(`${resource} ${meta.name} not found`);
    const next = clone(object);
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    next.metadata.generation = current.metadata.generation;
    if (subresource === 'status') {
      next.spec = clone(current.spec);
      next.metadata.labels = clone(current.metadata.labels);
      if (next.metadata.labels === undefined) delete next.metadata.labels;
    } else {
      next.status = clone(current.status);
    }
    if (deepEqual(next, current)) return clone(current);
    const specChanged = !deepEqual(next.spec, current.spec);
    const annotationsChanged = !deepEqual(
      next.metadata.annotations ?? {},
      current.metadata.annotations ?? {},
    );
    if (
      subresource === 'main' &&
      ((resource === 'deployments' && (specChanged || annotationsChanged)) ||
        (resource === 'replicasets' && specChanged))
    ) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    return this.commit('MODIFIED', resource, k, next, current);
  }

  delete(resource: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = key(namespace, name);
    const current = this.table(resource).get(k);
    if (!current) return undefined;
    this.table(resource).delete(k);
    const owner = controllerOf(current);
    if (owner) this.owned.get(owner)?.delete(`${resource}:${k}`);
    const gone = clone(current);
    this.counter++;
    gone.metadata.resourceVersion = String(this.counter);
    this.record({
      type: 'DELETED',
      resource,
      object: gone,
      previous: current,
      resourceVersion: this.counter,
    });
    return clone(gone);
  }

  /** The events after `resourceVersion`, or 'expired' when the history no longer reaches back. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldest) return 'expired';
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  /**
   * Forgets the history, as a compaction does. The counter moves on by one, so that every
   * resourceVersion handed out before is now too old and a fresh LIST gets a usable one.
   */
  expireHistory(): void {
    this.history = [];
    this.counter++;
    this.oldest = this.counter;
  }

  private commit<T extends KubeObject>(
    type: EventType,
    resource: Resource,
    k: string,
    object: T,
    previous: KubeObject | null,
  ): T {
    this.counter++;
    object.metadata.resourceVersion = String(this.counter);
    const stored = clone(object);
    this.table(resource).set(k, stored);
    const owner = controllerOf(stored);
    if (owner) {
      if (!this.owned.has(owner)) this.owned.set(owner, new Set());
      this.owned.get(owner)!.add(`${resource}:${k}`);
    }
    this.record({ type, resource, object: clone(stored), previous, resourceVersion: this.counter });
    return clone(stored);
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.oldest = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }
}
