// Where an app lives: the local platform (the default), or a Kubernetes context and namespace, a
// Fly organisation, a Modal environment. Named targets live in
// $XDG_CONFIG_HOME/cutover/config.toml; flags follow kubectl's (--context, -n, --kubeconfig).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { UsageError } from './usage-error.ts';

export const platforms = ['local', 'kubernetes', 'fly', 'modal'] as const;
export type Platform = (typeof platforms)[number];

/** One place an app can live. Fields a platform does not use stay undefined. */
export interface Target {
  /** The config file's name for it, or null for one made of flags alone. */
  name: string | null;
  platform: Platform;
  /** Kubernetes: the kubeconfig context (default: its current context). */
  context?: string;
  /** Kubernetes: the namespace (default: the context's, else `default`). */
  namespace?: string;
  /** Kubernetes: the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config). */
  kubeconfig?: string;
  /** Fly: the organisation. */
  org?: string;
  /** Modal: the environment (default: Modal's own). */
  environment?: string;
  /** Dangerous commands refuse, and the screen hides their keys (like k9s --readonly). */
  readonly: boolean;
}

/** The command-line flags every app command takes to choose its target. */
export const targetOptions = {
  target: { type: 'string' },
  platform: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  org: { type: 'string' },
  env: { type: 'string', short: 'e' },
  readonly: { type: 'boolean' },
} as const;

export interface TargetFlags {
  target?: string | undefined;
  platform?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  kubeconfig?: string | undefined;
  org?: string | undefined;
  env?: string | undefined;
  readonly?: boolean | undefined;
}

export function configFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'cutover', 'config.toml');
}

const fieldsOf: Record<Platform, (keyof Target)[]> = {
  local: [],
  kubernetes: ['context', 'namespace', 'kubeconfig'],
  fly: ['org'],
  modal: ['environment'],
};

function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && (platforms as readonly string[]).includes(value);
}

/** The named targets of the config file, in its order; none when it does not exist. */
export function loadTargets(env: NodeJS.ProcessEnv): Target[] {
  const file = configFile(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : '';
    throw new UsageError(`${file}${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = doc.targets ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new UsageError(`${file}: [targets] must be a table of named targets, like [targets.prod]`);
  }
  return Object.entries(section as Record<string, unknown>).map(([name, raw]) => targetFrom(file, name, raw));
}

function targetFrom(file: string, name: string, raw: unknown): Target {
  const where = `${file}: [targets.${name}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`${where} must be a table`);
  const fields = raw as Record<string, unknown>;
  if (!isPlatform(fields.platform)) {
    throw new UsageError(
      `${where}: platform must be one of ${platforms.join(', ')}, got ${JSON.stringify(fields.platform)}`,
    );
  }
  const platform = fields.platform;
  const target: Target = { name, platform, readonly: false };
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'platform') continue;
    if (key === 'readonly') {
      if (typeof value !== 'boolean') throw new UsageError(`${where}: readonly must be true or false`);
      target.readonly = value;
      continue;
    }
    if (!(fieldsOf[platform] as string[]).includes(key)) {
      const known = ['platform', ...fieldsOf[platform], 'readonly'].join(', ');
      throw new UsageError(
        `${where}: unknown key ${JSON.stringify(key)} for platform ${platform} (known: ${known})`,
      );
    }
    if (typeof value !== 'string' || value === '')
      throw new UsageError(`${where}: ${key} must be a non-empty string`);
    (target as unknown as Record<string, string>)[key] = value;
  }
  return target;
}

/**
 * The target a command runs against: `--target` (or $CUTOVER_TARGET) names one from the config
 * file, `--platform` makes one of flags; platform flags refine either. With none, local.
 */
export function resolveTarget(env: NodeJS.ProcessEnv, flags: TargetFlags): Target {
  const name = flags.target ?? (env.CUTOVER_TARGET || undefined);
  let target: Target;
  if (name !== undefined) {
    const targets = loadTargets(env);
    const found = targets.find((t) => t.name === name);
    if (!found) {
      const known =
        targets.map((t) => t.name).join(', ') || `none; add [targets.${name}] to ${configFile(env)}`;
      const from = flags.target === undefined ? ' (from $CUTOVER_TARGET)' : '';
      throw new UsageError(`unknown target ${JSON.stringify(name)}${from}; known: ${known}`);
    }
    if (flags.platform !== undefined && flags.platform !== found.platform) {
      throw new UsageError(
        `--platform ${flags.platform} contradicts target ${name} (platform ${found.platform})`,
      );
    }
    target = { ...found };
  } else {
    const platform = flags.platform ?? 'local';
    if (!isPlatform(platform)) {
      throw new UsageError(
        `--platform must be one of ${platforms.join(', ')}, got ${JSON.stringify(platform)}`,
      );
    }
    target = { name: null, platform, readonly: false };
  }
  const given: [keyof Target, string | undefined, string][] = [
    ['context', flags.context, '--context'],
    ['namespace', flags.namespace, '--namespace'],
    ['kubeconfig', flags.kubeconfig, '--kubeconfig'],
    ['org', flags.org, '--org'],
    ['environment', flags.env, '--env'],
  ];
  for (const [field, value, flag] of given) {
    if (value === undefined) continue;
    if (!fieldsOf[target.platform].includes(field)) {
      const owner = platforms.find((p) => fieldsOf[p].includes(field));
      throw new UsageError(`${flag} is for --platform ${owner}, not ${target.platform}`);
    }
    if (value === '') throw new UsageError(`${flag} must not be empty`);
    (target as unknown as Record<string, string>)[field] = value;
  }
  if (flags.readonly) target.readonly = true;
  return target;
}

/** `prod (kubernetes prod-eu/shop)`, for headers and messages. */
export function describeTarget(target: Target): string {
  const where = [target.context, target.namespace, target.org, target.environment].filter(Boolean).join('/');
  const inner = where ? `${target.platform} ${where}` : target.platform;
  return target.name ? `${target.name} (${inner})` : inner;
}
