// D2: a deploy is a no-op when its spec hashes the same as the current version's. The hash must
// not depend on key order, so the spec is serialized with sorted keys first.
import { createHash } from 'node:crypto';
import type { FunctionSpec, Spec } from './types.ts';

/** JSON with object keys sorted at every level. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The spec's identity: `sha256:` and 64 hex digits. */
export function specHash(spec: Spec): string {
  return `sha256:${sha256(stableJson(spec))}`;
}

/**
 * A container template: what one container of `fn` runs. Two containers with the same template
 * are interchangeable, which is how a rollback keeps the target's containers (B1).
 */
export function templateOf(fn: FunctionSpec, hash: string, epoch: number): string {
  return `${fn.name}@${epoch}:${hash}`;
}
