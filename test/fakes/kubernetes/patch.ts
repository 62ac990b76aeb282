// The three PATCH content types the API server accepts for built-in types
// (apiserver pkg/endpoints/handlers/patch.go): RFC 6902 JSON patch, RFC 7386 merge patch, and
// strategic merge patch (apimachinery pkg/util/strategicpatch/patch.go), whose list merge keys
// come from the Go types' `patchMergeKey` tags (k8s.io/api core/v1/types.go, apps/v1/types.go).

import { clone, deepEqual, isObject, type Json, type JsonObject } from './json.ts';
import { badRequest, StatusError } from './status.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

export function applyPatch(target: JsonObject, contentType: string, patch: Json): JsonObject {
  switch (contentType) {
    case JSON_PATCH:
      return applyJsonPatch(target, patch);
    case MERGE_PATCH:
      return mergePatch(target, patch) as JsonObject;
    case STRATEGIC_MERGE_PATCH:
      if (!isObject(patch)) throw badRequest('strategic merge patch must be a JSON object');
      return strategicMerge(target, patch);
    default:
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, application/apply-patch+yaml, ${STRATEGIC_MERGE_PATCH}`,
      );
  }
}

// ---- RFC 6902 (evanphx/json-patch, which the API server uses) ----

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw badRequest(`the server rejected our request due to an error in our request`);
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], op: string): { parent: Json; last: string } {
  let node = doc;
  for (const part of parts.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(node)
      ? node[Number(part)]
      : isObject(node)
        ? node[part]
        : undefined;
    if (next === undefined) throw badRequest(`doc is missing path: "/${parts.join('/')}": missing value`);
    node = next;
  }
  if (parts.length === 0) throw badRequest(`${op} of the whole document is not supported`);
  return { parent: node, last: parts[parts.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let node = doc;
  for (const part of pointer(path)) {
    const next: Json | undefined = Array.isArray(node)
      ? node[Number(part)]
      : isObject(node)
        ? node[part]
        : undefined;
    if (next === undefined) throw badRequest(`doc is missing path: "${path}": missing value`);
    node = next;
  }
  return node;
}

function setAt(doc: Json, path: string, value: Json, mode: 'add' | 'replace'): void {
  const { parent, last } = parentOf(doc, pointer(path), mode);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw badRequest(`unable to ${mode} at index ${last} of ${path}`);
    if (mode === 'add') parent.splice(index, 0, value);
    else if (index < parent.length) parent[index] = value;
    else throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  } else if (isObject(parent)) {
    if (mode === 'replace' && !(last in parent))
      throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = value;
  } else throw badRequest(`doc is missing path: "${path}": missing value`);
}

function removeAt(doc: Json, path: string): Json {
  const { parent, last } = parentOf(doc, pointer(path), 'remove');
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) throw badRequest(`remove operation does not apply: ${path}`);
    return parent.splice(index, 1)[0]!;
  }
  if (isObject(parent) && last in parent) {
    const value = parent[last]!;
    delete parent[last];
    return value;
  }
  throw badRequest(`remove operation does not apply: doc is missing path: "${path}": missing value`);
}

function applyJsonPatch(target: JsonObject, patch: Json): JsonObject {
  if (!Array.isArray(patch)) throw badRequest('json patch must be a JSON array of operations');
  const doc = clone(target);
  for (const raw of patch) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string')
      throw badRequest('json patch operation needs "op" and "path"');
    const { op, path } = raw;
    const value = raw.value === undefined ? null : clone(raw.value);
    switch (op) {
      case 'add':
      case 'replace':
        if (raw.value === undefined) throw badRequest(`${op} operation needs a value`);
        setAt(doc, path, value, op);
        break;
      case 'remove':
        removeAt(doc, path);
        break;
      case 'move':
      case 'copy': {
        if (typeof raw.from !== 'string') throw badRequest(`${op} operation needs "from"`);
        const moved = op === 'move' ? removeAt(doc, raw.from) : clone(getAt(doc, raw.from));
        setAt(doc, path, moved, 'add');
        break;
      }
      case 'test':
        if (!deepEqual(getAt(doc, path), value))
          throw new StatusError(422, 'Invalid', `testing value ${path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}

// ---- RFC 7386 ----

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

// ---- strategic merge patch ----

/** patchMergeKey of the lists a pod template or a Deployment holds (patchStrategy "merge"). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  volumes: 'name',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  resourceClaims: 'name',
};
/** Lists of scalars with patchStrategy "merge". */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function strategicMerge(original: JsonObject, patch: JsonObject): JsonObject {
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return {};
  const out = clone(original);
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : null;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const list = out[field];
      if (Array.isArray(list) && Array.isArray(v))
        out[field] = list.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (isObject(v)) {
      out[k] = strategicMerge(isObject(out[k]) ? (out[k] as JsonObject) : {}, v);
    } else if (Array.isArray(v)) {
      out[k] = mergeList(k, out[k], v);
    } else {
      out[k] = v;
    }
  }
  for (const [k, order] of Object.entries(patch)) {
    if (k.startsWith('$setElementOrder/') && Array.isArray(order)) {
      const field = k.slice('$setElementOrder/'.length);
      const list = out[field];
      if (Array.isArray(list)) out[field] = ordered(field, list, order);
    }
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function mergeList(field: string, current: Json | undefined, patch: Json[]): Json[] {
  const existing = Array.isArray(current) ? current : [];
  const mergeKey = MERGE_KEYS[field];
  if (MERGED_SCALAR_LISTS.has(field)) {
    return [...existing, ...patch.filter((p) => !existing.some((e) => deepEqual(e, p)))];
  }
  if (!mergeKey) return clone(patch.filter((p) => !(isObject(p) && p.$patch)));
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return clone(patch.filter((p) => !(isObject(p) && p.$patch === 'replace')));
  }
  const out = clone(existing);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const at = out.findIndex((e) => isObject(e) && deepEqual(e[mergeKey], item[mergeKey]));
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) {
      out[at] = strategicMerge(out[at] as JsonObject, item);
    } else {
      out.push(strategicMerge({}, item));
    }
  }
  return out;
}

/** `$setElementOrder`: the patch's order for the items it names, the others after them. */
function ordered(field: string, list: Json[], order: Json[]): Json[] {
  const mergeKey = MERGE_KEYS[field];
  const keyOf = (x: Json): Json => (mergeKey && isObject(x) ? (x[mergeKey] ?? null) : x);
  const named = order.map(keyOf);
  const first = named.flatMap((k) => list.filter((item) => deepEqual(keyOf(item), k)));
  const rest = list.filter((item) => !named.some((k) => deepEqual(keyOf(item), k)));
  return [...first, ...rest];
}
