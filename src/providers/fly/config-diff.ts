// What differs between two releases' machine configs, in words for a rollback's warnings: the
// config keys (services, env names, checks, VM size) a rollback restores, and the mounts it
// cannot (B2: volumes are infrastructure, not part of a release). Env values are not shown,
// only their names: they may be sensitive even outside secrets.
import { configOf, type FlyMachine, type FlyMount, processGroupOf } from './fly-types.ts';
import type { ObservedConfig } from './release-store.ts';

/** The part of a machine's config cutover records for its release. */
export function observedConfigOf(machine: FlyMachine): ObservedConfig {
  const config = configOf(machine);
  return {
    env: { ...(config.env ?? {}) },
    services: config.services ?? [],
    checks: config.checks ?? {},
    guest: config.guest ?? null,
    mounts: (config.mounts ?? []).map((m) => ({
      ...(m.name === undefined ? {} : { name: m.name }),
      ...(m.path === undefined ? {} : { path: m.path }),
    })),
  };
}

/** One config per process group: the first machine seen of each. */
export function observedConfigsOf(machines: FlyMachine[]): Record<string, ObservedConfig> {
  const configs: Record<string, ObservedConfig> = {};
  for (const machine of machines) {
    const group = processGroupOf(machine);
    if (!(group in configs)) configs[group] = observedConfigOf(machine);
  }
  return configs;
}

/** `a.b[0].c` → value, for every leaf. */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(path, '[]');
    for (const [i, item] of value.entries()) flatten(item, `${path}[${i}]`, into);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    for (const [key, item] of entries) flatten(item, path ? `${path}.${key}` : key, into);
  } else if (value !== undefined) {
    into.set(path, JSON.stringify(value));
  }
}

function leafChanges(label: string, from: unknown, to: unknown): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(from, '', a);
  flatten(to, '', b);
  const changes: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const before = a.get(key);
    const after = b.get(key);
    if (before === after) continue;
    changes.push(`${key || label} ${before ?? '(none)'} → ${after ?? '(none)'}`);
  }
  return changes.length === 0 ? [] : [`${label}: ${changes.join(', ')}`];
}

function envChanges(from: Record<string, string>, to: Record<string, string>): string[] {
  const changed: string[] = [];
  for (const name of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    if (!(name in to)) changed.push(`${name} removed`);
    else if (!(name in from)) changed.push(`${name} added`);
    else if (from[name] !== to[name]) changed.push(`${name} changed`);
  }
  return changed.length === 0 ? [] : [`env: ${changed.join(', ')}`];
}

function vmSize(guest: ObservedConfig['guest']): string {
  if (!guest) return 'default size';
  return `${guest.cpu_kind ?? 'shared'}-cpu-${guest.cpus ?? 1}x ${guest.memory_mb ?? 256}MB`;
}

/**
 * The config keys that differ from `now` to `then` (what a rollback to `then` changes back),
 * per process group, e.g. `app: env: LOG_LEVEL changed`, `app: VM size shared-cpu-1x 256MB → …`.
 */
export function configDifferences(
  then: Record<string, ObservedConfig>,
  now: Record<string, ObservedConfig>,
): string[] {
  const lines: string[] = [];
  for (const group of [...new Set([...Object.keys(then), ...Object.keys(now)])].sort()) {
    const a = now[group];
    const b = then[group];
    if (!a || !b) {
      lines.push(`process group ${group} ${a ? 'exists now but not then' : 'existed then but not now'}`);
      continue;
    }
    const changes = [
      ...envChanges(a.env, b.env),
      ...leafChanges('services', a.services, b.services),
      ...leafChanges('checks', a.checks, b.checks),
      ...(vmSize(a.guest) === vmSize(b.guest) ? [] : [`VM size ${vmSize(a.guest)} → ${vmSize(b.guest)}`]),
    ];
    for (const change of changes) lines.push(`${group}: ${change}`);
  }
  return lines;
}

const mountName = (m: FlyMount) => `volume ${m.name ?? '(unnamed)'} at ${m.path ?? '?'}`;

/** Mounts added or removed between `then` and `now`, as B2 infrastructure warnings. */
export function mountDifferences(
  then: Record<string, ObservedConfig>,
  now: Record<string, ObservedConfig>,
  version: number,
): string[] {
  const lines: string[] = [];
  for (const group of [...new Set([...Object.keys(then), ...Object.keys(now)])].sort()) {
    const before = new Set((then[group]?.mounts ?? []).map(mountName));
    const after = new Set((now[group]?.mounts ?? []).map(mountName));
    for (const m of after) if (!before.has(m)) lines.push(`${group}: ${m} was added after v${version}`);
    for (const m of before) if (!after.has(m)) lines.push(`${group}: ${m} was removed after v${version}`);
  }
  return lines;
}

/** Whether two recorded configs are the same in every key cutover compares. */
export function sameConfigs(a: Record<string, ObservedConfig>, b: Record<string, ObservedConfig>): boolean {
  return configDifferences(a, b).length === 0 && mountDifferences(a, b, 0).length === 0;
}
