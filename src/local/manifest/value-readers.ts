// Readers of one manifest value each: a DNS label, a duration, an integer in range, a command,
// a surge. Each returns the value resolved or fails at the value's key, saying what was expected.
import { TomlDate } from 'smol-toml';
import type { Strategy } from '../../engine/types.ts';
import { parseDuration } from '../duration.ts';
import type { KeyErrors } from './key-errors.ts';
import type { KeyPath } from './toml-positions.ts';

export const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_EXPECTED =
  "a DNS label: lowercase letters, digits and '-', 1 to 63 characters, starting with a letter";
const DURATION_EXPECTED = 'a positive duration like "500ms", "30s" or "2m"';

/** Reads single values, failing through `errors` at the key they came from. */
export class ValueReader {
  constructor(private readonly errors: KeyErrors) {}

  command(value: unknown, at: KeyPath): string | string[] {
    if (value === undefined) {
      return this.errors.fail(
        at,
        `${this.errors.label(at)} is missing; expected a command, like command = "node server.js"`,
      );
    }
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((part) => typeof part === 'string') &&
      value[0] !== ''
    ) {
      return value as string[];
    }
    return this.errors.fail(
      at,
      `${this.errors.label(at)} is ${show(value)}; expected a non-empty string or array of strings`,
    );
  }

  maxSurge(value: unknown, at: KeyPath, containers: number): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
    const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
    // Rounded up, and at least one, so a rolling rollout always makes progress (S1).
    if (percent) return Math.max(1, Math.ceil((containers * Number(percent[1])) / 100));
    return this.errors.fail(
      at,
      `${this.errors.label(at)} is ${show(value)}; expected an integer of at least 1, or a percentage like "25%"`,
    );
  }

  dnsLabel(value: unknown, at: KeyPath): string {
    if (value === undefined)
      return this.errors.fail(at, `${this.errors.label(at)} is missing; expected ${DNS_LABEL_EXPECTED}`);
    if (typeof value === 'string' && DNS_LABEL.test(value)) return value;
    return this.errors.fail(at, `${this.errors.label(at)} is ${show(value)}; expected ${DNS_LABEL_EXPECTED}`);
  }

  strategy(value: unknown, at: KeyPath): Strategy {
    if (value === 'rolling' || value === 'recreate') return value;
    return this.errors.fail(
      at,
      `${this.errors.label(at)} is ${show(value)}; expected "rolling" or "recreate"`,
    );
  }

  boolean(value: unknown, at: KeyPath): boolean {
    if (typeof value === 'boolean') return value;
    return this.errors.fail(at, `${this.errors.label(at)} is ${show(value)}; expected true or false`);
  }

  integer(value: unknown, at: KeyPath, min: number, max: number, expected: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    return this.errors.fail(at, `${this.errors.label(at)} is ${show(value)}; expected ${expected}`);
  }

  duration(value: unknown, at: KeyPath): number {
    const ms = typeof value === 'string' ? parseDuration(value) : null;
    if (ms !== null) return ms;
    return this.errors.fail(at, `${this.errors.label(at)} is ${show(value)}; expected ${DURATION_EXPECTED}`);
  }

  exclude(value: unknown, at: KeyPath): string[] {
    if (Array.isArray(value) && value.every((p) => typeof p === 'string' && p !== ''))
      return value as string[];
    return this.errors.fail(
      at,
      `exclude is ${show(value)}; expected an array of path patterns like ["tmp/", "*.log"]`,
    );
  }

  /** `fallback` when the key is absent, else the value as `read` reads it. */
  optional<T>(value: unknown, at: KeyPath, fallback: T, read: (value: unknown, at: KeyPath) => T): T {
    return value === undefined ? fallback : read(value, at);
  }
}

/** A TOML table (a date is an object too, but not a table). */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/** A value as an error message quotes it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof TomlDate) return value.toISOString();
  if (isTable(value)) return 'a table';
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return String(value);
}
