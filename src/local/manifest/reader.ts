// The manifest validator: walks the parsed document, checks each key and value, and resolves
// them into the spec they deploy. Every error names the line of the key it is about
// (key-errors.ts); the checks of single values are in value-readers.ts.
import { FUNCTION_DEFAULTS, type FunctionLimits } from '../../engine/function-defaults.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import { parseSize } from '../size.ts';
import { KeyErrors } from './key-errors.ts';
import { type KeyPath, locateKeys } from './toml-positions.ts';
import type { Manifest } from './types.ts';
import { DNS_LABEL, isTable, show, ValueReader } from './value-readers.ts';

const ROOT_KEYS = [
  'app',
  'strategy',
  'auto_rollback',
  'exclude',
  'include_node_modules',
  'build',
  'functions',
  'env',
  'secrets',
];
const BUILD_KEYS = ['command'];
const FUNCTION_KEYS = [
  'name',
  'command',
  'port',
  'containers',
  'concurrency',
  'ready',
  'drain_timeout',
  'start_timeout',
  'max_surge',
  'retry',
  'max_queue',
  'queue_timeout',
  'max_body',
  'request_timeout',
  'probe_period',
  'probe_timeout',
  'probe_failures',
  'min_ready',
];
const SECRETS_KEYS = ['names'];
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Walks the parsed document; knows where each key sits in the source so errors can point at it. */
export class ManifestReader {
  private readonly errors: KeyErrors;
  private readonly values: ValueReader;

  constructor(
    text: string,
    private readonly file: string,
    private readonly dir: string,
  ) {
    this.errors = new KeyErrors(locateKeys(text), file);
    this.values = new ValueReader(this.errors);
  }

  read(doc: Record<string, unknown>): Manifest {
    this.errors.checkKeys(doc, [], ROOT_KEYS);

    const app = this.values.dnsLabel(doc.app, ['app']);
    const strategy = this.values.optional(doc.strategy, ['strategy'], 'rolling', (v, at) =>
      this.values.strategy(v, at),
    );
    const autoRollback = this.values.optional(doc.auto_rollback, ['auto_rollback'], false, (v, at) =>
      this.values.boolean(v, at),
    );
    const exclude = this.values.optional(doc.exclude, ['exclude'], [], (v, at) => this.values.exclude(v, at));
    const includeNodeModules = this.values.optional(
      doc.include_node_modules,
      ['include_node_modules'],
      false,
      (v, at) => this.values.boolean(v, at),
    );
    const build = this.values.optional(doc.build, ['build'], null, (v, at) => this.build(v, at));
    const functions = this.functions(doc.functions);
    const env = this.values.optional(doc.env, ['env'], {}, (v, at) => this.env(v, at));
    const secrets = this.values.optional(doc.secrets, ['secrets'], [], (v, at) => this.secrets(v, at, env));

    return {
      app,
      file: this.file,
      dir: this.dir,
      spec: { functions, env, build, secrets, strategy, autoRollback },
      exclude,
      includeNodeModules,
    };
  }

  private functions(value: unknown): FunctionSpec[] {
    if (value === undefined)
      this.errors.fail(['functions'], 'no [[functions]]; expected at least one function');
    if (!Array.isArray(value) || value.length === 0 || !value.every(isTable)) {
      this.errors.fail(
        ['functions'],
        `functions is ${show(value)}; expected one or more [[functions]] tables`,
      );
    }
    const tables = value as Record<string, unknown>[];
    this.errors.functionNames = tables.map((t) =>
      typeof t.name === 'string' && DNS_LABEL.test(t.name) ? t.name : null,
    );

    const specs = tables.map((table, i) => this.function(table, i));
    const firstByName = new Map<string, number>();
    const firstByPort = new Map<number, number>();
    specs.forEach((spec, i) => {
      const sameName = firstByName.get(spec.name);
      if (sameName !== undefined) {
        const first = this.errors.lineOf(['functions', sameName, 'name']);
        this.errors.fail(
          ['functions', i, 'name'],
          `duplicate function name "${spec.name}"${first ? ` (first at line ${first})` : ''}; expected unique names`,
        );
      }
      firstByName.set(spec.name, i);
      if (spec.port === 0) return;
      const samePort = firstByPort.get(spec.port);
      if (samePort !== undefined) {
        this.errors.fail(
          ['functions', i, 'port'],
          `port in function "${spec.name}" is ${spec.port}, already used by function "${specs[samePort]!.name}"; expected a distinct port, or 0 to have one assigned`,
        );
      }
      firstByPort.set(spec.port, i);
    });
    return specs;
  }

  private function(table: Record<string, unknown>, i: number): FunctionSpec {
    const at = (key: string): KeyPath => ['functions', i, key];
    this.errors.checkKeys(table, ['functions', i], FUNCTION_KEYS);
    const name = this.values.dnsLabel(table.name, at('name'));
    const command = this.values.command(table.command, at('command'));
    const port = this.values.optional(table.port, at('port'), 0, (v, p) =>
      this.values.integer(v, p, 0, 65535, 'a port from 1 to 65535, or 0 to have one assigned'),
    );
    const containers = this.values.optional(table.containers, at('containers'), 1, (v, p) =>
      this.values.integer(v, p, 1, 100, 'an integer from 1 to 100'),
    );
    const concurrency = this.values.optional(table.concurrency, at('concurrency'), 8, (v, p) =>
      this.values.integer(v, p, 1, 10000, 'an integer from 1 to 10000'),
    );
    const ready = this.values.optional(table.ready, at('ready'), 'port', (v, p) => {
      if (v === 'port' || (typeof v === 'string' && v.startsWith('/'))) return v;
      return this.errors.fail(
        p,
        `${this.errors.label(p)} is ${show(v)}; expected "port" or an HTTP path starting with "/"`,
      );
    });
    const drainTimeoutMs = this.values.optional(table.drain_timeout, at('drain_timeout'), 30_000, (v, p) =>
      this.values.duration(v, p),
    );
    const startTimeoutMs = this.values.optional(table.start_timeout, at('start_timeout'), 60_000, (v, p) =>
      this.values.duration(v, p),
    );
    const maxSurge = this.values.maxSurge(table.max_surge ?? '25%', at('max_surge'), containers);
    const limits = this.limits(table, at);
    return {
      name,
      command,
      port,
      containers,
      concurrency,
      ready,
      drainTimeoutMs,
      startTimeoutMs,
      maxSurge,
      ...limits,
    };
  }

  /** R1, Q1 and H1's settings; each has a default (FUNCTION_DEFAULTS). */
  private limits(table: Record<string, unknown>, at: (key: string) => KeyPath): FunctionLimits {
    const d = FUNCTION_DEFAULTS;
    const duration = (key: string, fallback: number) =>
      this.values.optional(table[key], at(key), fallback, (v, p) => this.values.duration(v, p));
    const count = (key: string, fallback: number, min: number, max: number) =>
      this.values.optional(table[key], at(key), fallback, (v, p) =>
        this.values.integer(v, p, min, max, `an integer from ${min} to ${max}`),
      );
    return {
      retry: this.values.optional(table.retry, at('retry'), d.retry, (v, p) => {
        if (v === 'idempotent' || v === 'unsent' || v === 'never') return v;
        return this.errors.fail(
          p,
          `${this.errors.label(p)} is ${show(v)}; expected "idempotent", "unsent" or "never"`,
        );
      }),
      maxQueue: count('max_queue', d.maxQueue, 0, 1_000_000),
      queueTimeoutMs: duration('queue_timeout', d.queueTimeoutMs),
      maxBodyBytes: this.values.optional(table.max_body, at('max_body'), d.maxBodyBytes, (v, p) => {
        const bytes =
          typeof v === 'string'
            ? parseSize(v)
            : typeof v === 'number' && Number.isSafeInteger(v) && v > 0
              ? v
              : null;
        if (bytes !== null) return bytes;
        return this.errors.fail(
          p,
          `${this.errors.label(p)} is ${show(v)}; expected a size like "10MiB", "512KiB" or a number of bytes`,
        );
      }),
      requestTimeoutMs: duration('request_timeout', d.requestTimeoutMs),
      probePeriodMs: duration('probe_period', d.probePeriodMs),
      probeTimeoutMs: duration('probe_timeout', d.probeTimeoutMs),
      probeFailures: count('probe_failures', d.probeFailures, 1, 100),
      // "0s" turns the settle window off.
      minReadyMs: this.values.optional(table.min_ready, at('min_ready'), d.minReadyMs, (v, p) =>
        typeof v === 'string' && /^0+(\.0+)?(ms|s|m|h)$/.test(v) ? 0 : this.values.duration(v, p),
      ),
    };
  }

  private build(value: unknown, at: KeyPath): string | null {
    if (!isTable(value)) return this.errors.fail(at, `build is ${show(value)}; expected a [build] table`);
    this.errors.checkKeys(value, at, BUILD_KEYS);
    return this.values.optional(value.command, [...at, 'command'], null, (v, p) => {
      if (typeof v === 'string' && v.trim() !== '') return v;
      return this.errors.fail(
        p,
        `${this.errors.label(p)} is ${show(v)}; expected a non-empty shell command, or no command`,
      );
    });
  }

  private env(value: unknown, at: KeyPath): Record<string, string> {
    if (!isTable(value))
      return this.errors.fail(at, `env is ${show(value)}; expected an [env] table of strings`);
    const env: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      const p = [...at, key];
      if (key === '' || key.includes('=') || key.includes('\0')) {
        this.errors.fail(
          p,
          `env name ${JSON.stringify(key)} is not usable; expected a name without "=" or NUL`,
        );
      }
      if (typeof v !== 'string') {
        this.errors.fail(
          p,
          `${this.errors.label(p)} is ${show(v)}; expected a string (quote numbers and booleans)`,
        );
      }
      env[key] = v;
    }
    return env;
  }

  private secrets(value: unknown, at: KeyPath, env: Record<string, string>): string[] {
    if (!isTable(value))
      return this.errors.fail(at, `secrets is ${show(value)}; expected a [secrets] table with names`);
    this.errors.checkKeys(value, at, SECRETS_KEYS);
    const p = [...at, 'names'];
    const names = value.names ?? [];
    if (!Array.isArray(names))
      return this.errors.fail(p, `${this.errors.label(p)} is ${show(names)}; expected an array of names`);
    const seen = new Set<string>();
    for (const name of names) {
      if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
        this.errors.fail(
          p,
          `${this.errors.label(p)} has ${show(name)}; expected names matching [A-Za-z_][A-Za-z0-9_]*`,
        );
      }
      if (seen.has(name))
        this.errors.fail(p, `${this.errors.label(p)} lists "${name}" twice; expected each name once`);
      // B2: a secret's value comes from the environment, never from this file.
      if (Object.hasOwn(env, name)) {
        this.errors.fail(
          p,
          `secret "${name}" also has a value in [env]; expected secret values only from the environment`,
        );
      }
      seen.add(name);
    }
    return names as string[];
  }
}
