// GET, LIST and WATCH of the stored resources (apiserver pkg/endpoints/handlers/get.go,
// watch.go): labelSelector, fieldSelector, limit/continue, resourceVersion, watch=true|1.
import type { ServerResponse } from 'node:http';
import { flag, listOf, ok, type ParsedRequest, type Reply } from './http-io.ts';
import type { JsonObject } from './json.ts';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors.ts';
import { badRequest, notFound } from './status.ts';
import type { Store } from './store.ts';
import { toTable, wantsTable } from './tables.ts';
import type { KubeObject, Resource } from './types.ts';
import { selectableFields, type WatchHub } from './watch-hub.ts';

export const RESOURCES: Record<Resource, { kind: string; apiVersion: string; group: string }> = {
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1', group: 'apps' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1', group: 'apps' },
  pods: { kind: 'Pod', apiVersion: 'v1', group: '' },
  namespaces: { kind: 'Namespace', apiVersion: 'v1', group: '' },
};

const FIELDS: Record<Resource, string[]> = {
  deployments: ['metadata.name', 'metadata.namespace'],
  replicasets: ['metadata.name', 'metadata.namespace'],
  pods: ['metadata.name', 'metadata.namespace', 'status.phase', 'spec.nodeName'],
  namespaces: ['metadata.name', 'status.phase'],
};

interface Page {
  start: number;
}

const encodeContinue = (page: Page): string => Buffer.from(JSON.stringify(page)).toString('base64url');

function decodeContinue(token: string): Page {
  try {
    const page = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Page;
    if (Number.isInteger(page.start)) return page;
  } catch {}
  throw badRequest(`continue key is not valid: ${token}`);
}

function selectors(resource: Resource, query: Record<string, string>) {
  try {
    return {
      labels: parseLabelSelector(query.labelSelector),
      fields: parseFieldSelector(query.fieldSelector, FIELDS[resource]),
    };
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
}

export class Reads {
  constructor(
    private readonly store: Store,
    private readonly watches: WatchHub,
  ) {}

  get(resource: Resource, namespace: string | undefined, name: string, accept: string): Reply {
    const object = this.store.get(resource, namespace, name);
    if (!object) throw notFound(resource, RESOURCES[resource].group, name);
    if (!wantsTable(accept)) return ok(object);
    return ok(toTable(RESOURCES[resource].kind, [object], object.metadata.resourceVersion ?? ''));
  }

  /** The objects a LIST or WATCH of this resource selects. */
  private selected(
    resource: Resource,
    namespace: string | null,
    query: Record<string, string>,
  ): KubeObject[] {
    const { labels, fields } = selectors(resource, query);
    return this.store
      .list(resource, namespace)
      .filter(
        (o) =>
          matchesLabels(labels, o.metadata.labels) && matchesFields(fields, selectableFields(resource, o)),
      );
  }

  /** LIST, or WATCH when watch=true|1. */
  collection(
    res: ServerResponse,
    resource: Resource,
    namespace: string | null,
    request: ParsedRequest,
  ): Reply {
    const q = request.query;
    if (flag(q.watch)) return this.watch(res, resource, namespace, request);
    const all = this.selected(resource, namespace, q);
    const start = q.continue ? decodeContinue(q.continue).start : 0;
    const limit = q.limit ? Number(q.limit) : 0;
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const next = end < all.length ? encodeContinue({ start: end }) : null;
    const { kind, apiVersion } = RESOURCES[resource];
    const items = all.slice(start, end);
    if (wantsTable(request.accept)) {
      const table = toTable(kind, items, String(this.store.resourceVersion));
      if (next) table.metadata = { ...(table.metadata as JsonObject), continue: next };
      return ok(table);
    }
    return ok(listOf(kind, apiVersion, items, this.store.resourceVersion, next, all.length - end));
  }

  private watch(
    res: ServerResponse,
    resource: Resource,
    namespace: string | null,
    request: ParsedRequest,
  ): Reply {
    const q = request.query;
    const { labels, fields } = selectors(resource, q);
    const kind = RESOURCES[resource].kind;
    const timeout = q.timeoutSeconds === undefined ? null : Number(q.timeoutSeconds);
    const error = this.watches.start(
      {
        resource,
        namespace,
        labels,
        fields,
        resourceVersion: q.resourceVersion ?? null,
        bookmarks: flag(q.allowWatchBookmarks),
        timeoutSeconds: timeout !== null && Number.isFinite(timeout) ? timeout : null,
        sendInitialEvents: flag(q.sendInitialEvents),
        asTable: wantsTable(request.accept)
          ? (object: KubeObject) => toTable(kind, [object], object.metadata.resourceVersion ?? '')
          : null,
      },
      res,
    );
    if (error) throw error;
    return 'streamed';
  }

  /** A GET of one object with watch=true: the old single-object watch, by field selector. */
  watchOne(
    res: ServerResponse,
    resource: Resource,
    namespace: string,
    name: string,
    request: ParsedRequest,
  ): Reply {
    const q = request.query;
    const fieldSelector = q.fieldSelector
      ? `${q.fieldSelector},metadata.name=${name}`
      : `metadata.name=${name}`;
    return this.watch(res, resource, namespace, { ...request, query: { ...q, fieldSelector } });
  }
}
