// The manifest validator: walks the parsed document, checks each key and value, and resolves
// them into the spec they deploy. Every error names the line of the key it is about.
import { TomlDate } from 'smol-toml';
import { FUNCTION_DEFAULTS, type FunctionLimits } from '../../engine/function-defaults.ts';
import type { FunctionSpec, Strategy } from '../../engine/types.ts';
import { parseDuration } from '../duration.ts';
import { parseSize } from '../size.ts';
import { closest } from './did-you-mean.ts';
import { type KeyPath, locateKeys } from './toml-positions.ts';
import { type Manifest, ManifestError } from './types.ts';

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

const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_EXPECTED =
  "a DNS label: lowercase letters, digits and '-', 1 to 63 characters, starting with a letter";
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DURATION_EXPECTED = 'a positive duration like "500ms", "30s" or "2m"';

/** Walks the parsed document; knows where each key sits in the source so errors can point at it. */
export class ManifestReader {
  private readonly keyLines: Map<string, { line: number; column: number }>;
  private functionNames: (string | null)[] = [];

  constructor(
    text: string,
    private readonly file: string,
    private readonly dir: string,
  ) {
    this.keyLines = locateKeys(text);
  }

  read(doc: Record<string, unknown>): Manifest {
    this.checkKeys(doc, [], ROOT_KEYS);

    const app = this.dnsLabel(doc.app, ['app']);
    const strategy = this.optional(doc.strategy, ['strategy'], 'rolling', (v, at) => this.strategy(v, at));
    const autoRollback = this.optional(doc.auto_rollback, ['auto_rollback'], false, (v, at) =>
      this.boolean(v, at),
    );
    const exclude = this.optional(doc.exclude, ['exclude'], [], (v, at) => this.exclude(v, at));
    const includeNodeModules = this.optional(
      doc.include_node_modules,
      ['include_node_modules'],
      false,
      (v, at) => this.boolean(v, at),
    );
    const build = this.optional(doc.build, ['build'], null, (v, at) => this.build(v, at));
    const functions = this.functions(doc.functions);
    const env = this.optional(doc.env, ['env'], {}, (v, at) => this.env(v, at));
    const secrets = this.optional(doc.secrets, ['secrets'], [], (v, at) => this.secrets(v, at, env));

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
    if (value === undefined) this.fail(['functions'], 'no [[functions]]; expected at least one function');
    if (!Array.isArray(value) || value.length === 0 || !value.every(isTable)) {
      this.fail(['functions'], `functions is ${show(value)}; expected one or more [[functions]] tables`);
    }
    const tables = value as Record<string, unknown>[];
    this.functionNames = tables.map((t) =>
      typeof t.name === 'string' && DNS_LABEL.test(t.name) ? t.name : null,
    );

    const specs = tables.map((table, i) => this.function(table, i));
    const firstByName = new Map<string, number>();
    const firstByPort = new Map<number, number>();
    specs.forEach((spec, i) => {
      const sameName = firstByName.get(spec.name);
      if (sameName !== undefined) {
        const first = this.lineOf(['functions', sameName, 'name']);
        this.fail(
          ['functions', i, 'name'],
          `duplicate function name "${spec.name}"${first ? ` (first at line ${first})` : ''}; expected unique names`,
        );
      }
      firstByName.set(spec.name, i);
      if (spec.port === 0) return;
      const samePort = firstByPort.get(spec.port);
      if (samePort !== undefined) {
        this.fail(
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
    this.checkKeys(table, ['functions', i], FUNCTION_KEYS);
    const name = this.dnsLabel(table.name, at('name'));
    const command = this.command(table.command, at('command'));
    const port = this.optional(table.port, at('port'), 0, (v, p) =>
      this.integer(v, p, 0, 65535, 'a port from 1 to 65535, or 0 to have one assigned'),
    );
    const containers = this.optional(table.containers, at('containers'), 1, (v, p) =>
      this.integer(v, p, 1, 100, 'an integer from 1 to 100'),
    );
    const concurrency = this.optional(table.concurrency, at('concurrency'), 8, (v, p) =>
      this.integer(v, p, 1, 10000, 'an integer from 1 to 10000'),
    );
    const ready = this.optional(table.ready, at('ready'), 'port', (v, p) => {
      if (v === 'port' || (typeof v === 'string' && v.startsWith('/'))) return v;
      return this.fail(
        p,
        `${this.label(p)} is ${show(v)}; expected "port" or an HTTP path starting with "/"`,
      );
    });
    const drainTimeoutMs = this.optional(table.drain_timeout, at('drain_timeout'), 30_000, (v, p) =>
      this.duration(v, p),
    );
    const startTimeoutMs = this.optional(table.start_timeout, at('start_timeout'), 60_000, (v, p) =>
      this.duration(v, p),
    );
    const maxSurge = this.maxSurge(table.max_surge ?? '25%', at('max_surge'), containers);
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
      this.optional(table[key], at(key), fallback, (v, p) => this.duration(v, p));
    const count = (key: string, fallback: number, min: number, max: number) =>
      this.optional(table[key], at(key), fallback, (v, p) =>
        this.integer(v, p, min, max, `an integer from ${min} to ${max}`),
      );
    return {
      retry: this.optional(table.retry, at('retry'), d.retry, (v, p) => {
        if (v === 'idempotent' || v === 'unsent' || v === 'never') return v;
        return this.fail(p, `${this.label(p)} is ${show(v)}; expected "idempotent", "unsent" or "never"`);
      }),
      maxQueue: count('max_queue', d.maxQueue, 0, 1_000_000),
      queueTimeoutMs: duration('queue_timeout', d.queueTimeoutMs),
      maxBodyBytes: this.optional(table.max_body, at('max_body'), d.maxBodyBytes, (v, p) => {
        const bytes =
          typeof v === 'string'
            ? parseSize(v)
            : typeof v === 'number' && Number.isSafeInteger(v) && v > 0
              ? v
              : null;
        if (bytes !== null) return bytes;
        return this.fail(
          p,
          `${this.label(p)} is ${show(v)}; expected a size like "10MiB", "512KiB" or a number of bytes`,
        );
      }),
      requestTimeoutMs: duration('request_timeout', d.requestTimeoutMs),
      probePeriodMs: duration('probe_period', d.probePeriodMs),
      probeTimeoutMs: duration('probe_timeout', d.probeTimeoutMs),
      probeFailures: count('probe_failures', d.probeFailures, 1, 100),
      // "0s" turns the settle window off.
      minReadyMs: this.optional(table.min_ready, at('min_ready'), d.minReadyMs, (v, p) =>
        typeof v === 'string' && /^0+(\.0+)?(ms|s|m|h)$/.test(v) ? 0 : this.duration(v, p),
      ),
    };
  }

  private build(value: unknown, at: KeyPath): string | null {
    if (!isTable(value)) return this.fail(at, `build is ${show(value)}; expected a [build] table`);
    this.checkKeys(value, at, BUILD_KEYS);
    return this.optional(value.command, [...at, 'command'], null, (v, p) => {
      if (typeof v === 'string' && v.trim() !== '') return v;
      return this.fail(
        p,
        `${this.label(p)} is ${show(v)}; expected a non-empty shell command, or no command`,
      );
    });
  }

  private env(value: unknown, at: KeyPath): Record<string, string> {
    if (!isTable(value)) return this.fail(at, `env is ${show(value)}; expected an [env] table of strings`);
    const env: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      const p = [...at, key];
      if (key === '' || key.includes('=') || key.includes('\0')) {
        this.fail(p, `env name ${JSON.stringify(key)} is not usable; expected a name without "=" or NUL`);
      }
      if (typeof v !== 'string') {
        this.fail(p, `${this.label(p)} is ${show(v)}; expected a string (quote numbers and booleans)`);
      }
      env[key] = v;
    }
    return env;
  }

  private secrets(value: unknown, at: KeyPath, env: Record<string, string>): string[] {
    if (!isTable(value))
      return this.fail(at, `secrets is ${show(value)}; expected a [secrets] table with names`);
    this.checkKeys(value, at, SECRETS_KEYS);
    const p = [...at, 'names'];
    const names = value.names ?? [];
    if (!Array.isArray(names))
      return this.fail(p, `${this.label(p)} is ${show(names)}; expected an array of names`);
    const seen = new Set<string>();
    for (const name of names) {
      if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
        this.fail(p, `${this.label(p)} has ${show(name)}; expected names matching [A-Za-z_][A-Za-z0-9_]*`);
      }
      if (seen.has(name)) this.fail(p, `${this.label(p)} lists "${name}" twice; expected each name once`);
      // B2: a secret's value comes from the environment, never from this file.
      if (Object.hasOwn(env, name)) {
        this.fail(
          p,
          `secret "${name}" also has a value in [env]; expected secret values only from the environment`,
        );
      }
      seen.add(name);
    }
    return names as string[];
  }

  private command(value: unknown, at: KeyPath): string | string[] {
    if (value === undefined) {
      return this.fail(
        at,
        `${this.label(at)} is missing; expected a command, like command = "node server.js"`,
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
    return this.fail(
      at,
      `${this.label(at)} is ${show(value)}; expected a non-empty string or array of strings`,
    );
  }

  private maxSurge(value: unknown, at: KeyPath, containers: number): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
    const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
    // Rounded up, and at least one, so a rolling rollout always makes progress (S1).
    if (percent) return Math.max(1, Math.ceil((containers * Number(percent[1])) / 100));
    return this.fail(
      at,
      `${this.label(at)} is ${show(value)}; expected an integer of at least 1, or a percentage like "25%"`,
    );
  }

  private dnsLabel(value: unknown, at: KeyPath): string {
    if (value === undefined)
      return this.fail(at, `${this.label(at)} is missing; expected ${DNS_LABEL_EXPECTED}`);
    if (typeof value === 'string' && DNS_LABEL.test(value)) return value;
    return this.fail(at, `${this.label(at)} is ${show(value)}; expected ${DNS_LABEL_EXPECTED}`);
  }

  private strategy(value: unknown, at: KeyPath): Strategy {
    if (value === 'rolling' || value === 'recreate') return value;
    return this.fail(at, `${this.label(at)} is ${show(value)}; expected "rolling" or "recreate"`);
  }

  private boolean(value: unknown, at: KeyPath): boolean {
    if (typeof value === 'boolean') return value;
    return this.fail(at, `${this.label(at)} is ${show(value)}; expected true or false`);
  }

  private integer(value: unknown, at: KeyPath, min: number, max: number, expected: string): number {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    return this.fail(at, `${this.label(at)} is ${show(value)}; expected ${expected}`);
  }

  private duration(value: unknown, at: KeyPath): number {
    const ms = typeof value === 'string' ? parseDuration(value) : null;
    if (ms !== null) return ms;
    return this.fail(at, `${this.label(at)} is ${show(value)}; expected ${DURATION_EXPECTED}`);
  }

  private exclude(value: unknown, at: KeyPath): string[] {
    if (Array.isArray(value) && value.every((p) => typeof p === 'string' && p !== ''))
      return value as string[];
    return this.fail(
      at,
      `exclude is ${show(value)}; expected an array of path patterns like ["tmp/", "*.log"]`,
    );
  }

  private optional<T>(value: unknown, at: KeyPath, fallback: T, read: (value: unknown, at: KeyPath) => T): T {
    return value === undefined ? fallback : read(value, at);
  }

  private checkKeys(table: Record<string, unknown>, at: KeyPath, known: string[]): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      const where = at.length === 0 ? '' : ` in ${this.section(at)}`;
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      this.fail([...at, key], `unknown key "${key}"${where}${hint}; expected one of ${known.join(', ')}`);
    }
  }

  /** How an error names a key: `app`, `build.command`, `containers in function "web"`. */
  private label(at: KeyPath): string {
    if (at[0] === 'functions' && typeof at[1] === 'number' && at.length > 2) {
      return `${at.slice(2).join('.')} in ${this.section(at)}`;
    }
    return at.join('.');
  }

  private section(at: KeyPath): string {
    if (at[0] === 'functions' && typeof at[1] === 'number') {
      const name = this.functionNames[at[1]];
      return name ? `function "${name}"` : `function #${at[1] + 1}`;
    }
    return `[${at.join('.')}]`;
  }

  private lineOf(at: KeyPath): number | null {
    return this.keyLines.get(JSON.stringify(at))?.line ?? null;
  }

  /** Throws at the key's line, or at its nearest enclosing key or table found in the source. */
  private fail(at: KeyPath, problem: string): never {
    for (let n = at.length; n > 0; n--) {
      const found = this.keyLines.get(JSON.stringify(at.slice(0, n)));
      if (found) throw new ManifestError(this.file, found.line, found.column, problem);
    }
    throw new ManifestError(this.file, null, null, problem);
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/** A value as an error message quotes it. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof TomlDate) return value.toISOString();
  if (isTable(value)) return 'a table';
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }
  return String(value);
}
