// The fake API server's request path: record, authenticate (bearer token), apply forbid rules,
// then route by URL to discovery, reads, Deployment writes and pod logs. Paths as
// apiserver pkg/endpoints/installer.go lays them out (including the old /watch/ prefix).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deletes } from './deletes.ts';
import type { DeploymentWrites } from './deployment-writes.ts';
import { discovery } from './discovery.ts';
import { flag, ok, type ParsedRequest, type Reply, readRequest, sendError, sendJson } from './http-io.ts';
import type { Json } from './json.ts';
import type { Logs } from './logs.ts';
import { STRATEGIC_MERGE_PATCH } from './patch.ts';
import type { Reads } from './reads.ts';
import type { Recorder } from './recorder.ts';
import { badRequest, pageNotFound, type StatusDetails, StatusError } from './status.ts';
import type { Resource } from './types.ts';

/** A test's rule: answer matching requests 403 Forbidden with this message. */
export interface ForbidRule {
  method?: string;
  path: RegExp;
  message?: string;
}

export interface RouterParts {
  token: string;
  /** Let a request without Authorization in (plain HTTP: kubectl sends no token there). */
  anonymous: boolean;
  recorder: Recorder;
  reads: Reads;
  writes: DeploymentWrites;
  deletes: Deletes;
  logs: Logs;
  forbidden: () => ForbidRule[];
}

const VERB: Record<string, string> = {
  GET: 'get',
  PATCH: 'patch',
  PUT: 'update',
  POST: 'create',
  DELETE: 'delete',
};

/**
 * A 403 as an RBAC denial words it (apiserver pkg/endpoints/handlers/responsewriters/errors.go
 * forbiddenMessage, apimachinery NewForbidden), unless the rule gives its own message.
 */
function forbidden(method: string, path: string, message?: string): StatusError {
  const m =
    /^\/(?:api|apis\/([^/]+))\/v1\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
  const [, group = '', namespace, resource = '', name, sub] = m ?? [];
  const what = sub ? `${resource}/${sub}` : resource;
  const qualified = group ? `${resource}.${group}` : resource;
  const subject = name ? `${qualified} "${name}"` : qualified;
  const scope = namespace ? ` in the namespace "${namespace}"` : '';
  const verb = VERB[method] ?? method.toLowerCase();
  const text =
    message ??
    `${subject} is forbidden: User "cutover-test" cannot ${verb} resource "${what}" in API group "${group}"${scope}`;
  const details: StatusDetails = { kind: resource };
  if (name) details.name = name;
  if (group) details.group = group;
  return new StatusError(403, 'Forbidden', text, details);
}

const DEPLOYMENT = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(?:\/(scale|status))?$/;
const APPS_COLLECTION = /^\/apis\/apps\/v1(?:\/namespaces\/([^/]+))?\/(deployments|replicasets)$/;
const REPLICASET = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/replicasets\/([^/]+)$/;
const PODS = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods$/;
const POD = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)(?:\/(log|status))?$/;
const NAMESPACE = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/;

function methodNotAllowed(): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource`,
    {},
  );
}

export function createRouter(parts: RouterParts): (req: IncomingMessage, res: ServerResponse) => void {
  const { reads, writes } = parts;

  const deployment = (
    res: ServerResponse,
    r: ParsedRequest,
    ns: string,
    name: string,
    sub?: string,
  ): Reply => {
    const dryRun = r.query.dryRun === 'All';
    if (sub === 'scale') {
      if (r.method === 'GET') return ok(writes.scale(ns, name));
      if (r.method === 'PATCH') return ok(writes.setScale(ns, name, r.contentType, body(r), dryRun));
      if (r.method === 'PUT') return ok(writes.setScale(ns, name, null, body(r), dryRun));
      throw methodNotAllowed();
    }
    if (r.method === 'GET') {
      if (flag(r.query.watch)) return reads.watchOne(res, 'deployments', ns, name, r);
      return reads.get('deployments', ns, name, r.accept);
    }
    if (sub === 'status') throw methodNotAllowed();
    if (r.method === 'PATCH')
      return ok(writes.patch(ns, name, r.contentType || STRATEGIC_MERGE_PATCH, body(r), dryRun));
    if (r.method === 'PUT') return ok(writes.replace(ns, name, body(r), dryRun));
    if (r.method === 'DELETE') return ok(parts.deletes.deployment(ns, name));
    throw methodNotAllowed();
  };

  const route = (res: ServerResponse, r: ParsedRequest): Reply => {
    const doc = discovery(r.path);
    if (doc && r.method === 'GET') return ok(doc);
    // The deprecated /watch/ path prefix means watch=true.
    const watchPrefix = /^(\/apis?\/(?:apps\/)?v1)\/watch(\/.*)$/.exec(r.path);
    if (watchPrefix)
      r = { ...r, path: `${watchPrefix[1]}${watchPrefix[2]}`, query: { ...r.query, watch: 'true' } };
    let m = DEPLOYMENT.exec(r.path);
    if (m) return deployment(res, r, m[1]!, m[2]!, m[3]);
    m = POD.exec(r.path);
    if (m && !m[3] && r.method === 'DELETE') return ok(parts.deletes.pod(m[1]!, m[2]!));
    if (r.method !== 'GET' && !(r.method === 'POST' && APPS_COLLECTION.test(r.path))) {
      if ([APPS_COLLECTION, REPLICASET, PODS, POD, NAMESPACE].some((p) => p.test(r.path)))
        throw methodNotAllowed();
      throw pageNotFound();
    }
    m = APPS_COLLECTION.exec(r.path);
    if (m) {
      const resource = m[2] as Resource;
      if (r.method === 'GET') return reads.collection(res, resource, m[1] ?? null, r);
      if (resource !== 'deployments' || !m[1]) throw methodNotAllowed();
      return { code: 201, body: writes.create(m[1], body(r), r.query.dryRun === 'All') };
    }
    m = REPLICASET.exec(r.path);
    if (m) {
      if (flag(r.query.watch)) return reads.watchOne(res, 'replicasets', m[1]!, m[2]!, r);
      return reads.get('replicasets', m[1], m[2]!, r.accept);
    }
    m = PODS.exec(r.path);
    if (m) return reads.collection(res, 'pods', m[1] ?? null, r);
    m = POD.exec(r.path);
    if (m) {
      if (m[3] === 'log') return parts.logs.serve(res, m[1]!, m[2]!, r);
      if (flag(r.query.watch)) return reads.watchOne(res, 'pods', m[1]!, m[2]!, r);
      return reads.get('pods', m[1], m[2]!, r.accept);
    }
    m = NAMESPACE.exec(r.path);
    if (m)
      return m[1]
        ? reads.get('namespaces', undefined, m[1], r.accept)
        : reads.collection(res, 'namespaces', null, r);
    if (r.path === '/healthz' || r.path === '/livez' || r.path === '/readyz') return ok('ok');
    throw pageNotFound();
  };

  return (req, res) => {
    void (async () => {
      const r = await readRequest(req);
      const { accept: _accept, ...call } = r;
      parts.recorder.record(call);
      try {
        const auth = req.headers.authorization;
        if (auth !== `Bearer ${parts.token}` && !(parts.anonymous && auth === undefined))
          throw new StatusError(401, 'Unauthorized', 'Unauthorized');
        const rule = parts
          .forbidden()
          .find((f) => (!f.method || f.method === r.method) && f.path.test(r.path));
        if (rule) throw forbidden(r.method, r.path, rule.message);
        const reply = route(res, r);
        if (reply !== 'streamed') sendJson(res, reply.code, reply.body);
      } catch (error) {
        sendError(res, error);
      }
    })();
  };
}

function body(r: ParsedRequest): Json {
  if (r.body === undefined || typeof r.body === 'string') throw badRequest('the request body must be JSON');
  return r.body;
}
