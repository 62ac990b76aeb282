// Plain-JSON helpers shared by the fake API server: the objects it stores are JSON documents,
// exactly what goes over the wire, so every copy in or out is a structured clone.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Structural equality of two JSON values (key order ignored, array order kept). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The value as apimachinery's Semantic.DeepEqual sees it after a Go round trip: null fields,
 * empty maps and empty lists are the same as absent ones (k8s.io/apimachinery
 * third_party/forked/golang/reflect/deep_equal.go treats nil and empty alike).
 */
export function semantic(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((item) => semantic(item) ?? null);
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      const inner = semantic(value[key]);
      if (inner !== undefined) out[key] = inner;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value as Json;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  return deepEqual(semantic(a), semantic(b));
}

/** A stable serialisation (sorted keys, semantic form) used for hashing pod templates. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(semantic(value) ?? null);
}
