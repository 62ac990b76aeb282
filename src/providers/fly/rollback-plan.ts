// B1/B2 on Fly: a rollback to vN deploys vN's image with vN's recorded fly.toml (`fly deploy -c
// <stored fly.toml> -i <vN image>`), and says exactly what it restores and what it cannot:
// config keys that differ, secrets whose digest changed since vN (names only), mounts added or
// removed since vN, and for a release whose fly.toml was never recorded, that only the image
// comes back while the config stays as it is now.
import { ProviderError } from '../../engine/provider-error.ts';
import { configDifferences, mountDifferences } from './config-diff.ts';
import type { FlyRelease } from './fly-types.ts';
import { defaultRollbackTarget } from './release-history.ts';
import type { ObservedConfig } from './release-store.ts';

/** What cutover knows of the target release and of now. */
export interface RollbackFacts {
  app: string;
  /** Newest first. */
  releases: FlyRelease[];
  to: number | undefined;
  /** The fly.toml cutover deployed as the target, or null. */
  flyToml: (version: number) => string | null;
  /** The machine configs first observed for a release, or null. */
  configs: (version: number) => Record<string, ObservedConfig> | null;
  /** Secret digests recorded for a release, or null. */
  secretsAt: (version: number) => Record<string, string> | null;
  /** The configs the machines run now (the newest release's that has machines). */
  configsNow: Record<string, ObservedConfig> | null;
  /** Digests now, from `fly secrets list --json`; null when it could not be read. */
  secretsNow: Record<string, string> | null;
}

export interface RollbackPlan {
  target: FlyRelease;
  image: string;
  /** The fly.toml to deploy with `-c`, or null: the config stays as it is now. */
  flyToml: string | null;
  warnings: string[];
  /** For the release's label: `image and config of v3` or `image only`. */
  note: string;
}

export const imageOnly = 'only the image can be restored; the config stays as it is now';

/** The release a rollback goes to, or a ProviderError saying why there is none. */
export function rollbackTarget(app: string, releases: FlyRelease[], to: number | undefined): FlyRelease {
  const known = releases.map((r) => r.version);
  const version = to ?? defaultRollbackTarget(releases);
  if (version === null) {
    throw new ProviderError('usage', `${app} has no earlier good release to roll back to`, {
      reason: 'no-earlier-version',
    });
  }
  const target = releases.find((r) => r.version === version);
  if (!target) {
    const range = known.length > 0 ? `v${Math.min(...known)}…v${Math.max(...known)}` : 'none';
    throw new ProviderError('not-found', `${app} has no release v${version} (releases: ${range})`, {
      reason: 'unknown-version',
    });
  }
  if (!target.image_ref) {
    throw new ProviderError('failed', `release v${version} of ${app} has no image recorded by Fly`, {
      reason: 'no-image',
    });
  }
  return target;
}

function secretWarnings(
  then: Record<string, string> | null,
  now: Record<string, string> | null,
  v: number,
): string[] {
  if (now === null)
    return [`secrets not restored: cutover could not list them now (fly secrets list failed)`];
  if (then === null) {
    const names = Object.keys(now).sort();
    return [
      `secrets not restored: their digests at v${v} were never recorded, so cutover cannot tell which changed` +
        (names.length > 0 ? ` (secrets now: ${names.join(', ')})` : ''),
    ];
  }
  const changed: string[] = [];
  for (const name of [...new Set([...Object.keys(then), ...Object.keys(now)])].sort()) {
    if (!(name in now)) changed.push(`${name} removed since v${v}`);
    else if (!(name in then)) changed.push(`${name} added since v${v}`);
    else if (then[name] !== now[name]) changed.push(`${name} changed since v${v} (digest differs)`);
  }
  return changed.length === 0 ? [] : [`secrets not restored: ${changed.join(', ')}`];
}

export function planRollback(facts: RollbackFacts): RollbackPlan {
  const target = rollbackTarget(facts.app, facts.releases, facts.to);
  const v = target.version;
  const flyToml = facts.flyToml(v);
  const then = facts.configs(v);
  const now = facts.configsNow;
  const warnings: string[] = [];
  const differences = then && now ? configDifferences(then, now) : null;
  if (flyToml !== null) {
    if (differences === null) warnings.push(`config restored: v${v}'s fly.toml as cutover deployed it`);
    else if (differences.length === 0)
      warnings.push(`config restored: v${v}'s fly.toml (no key differs from now)`);
    else warnings.push(`config restored to v${v}'s fly.toml: ${differences.join('; ')}`);
  } else {
    const why = then ? `v${v} was deployed outside cutover` : `v${v}'s config was never recorded`;
    warnings.push(`${imageOnly} (${why})`);
    if (differences && differences.length > 0)
      warnings.push(`config not restored, v${v} differed from now in: ${differences.join('; ')}`);
  }
  warnings.push(...secretWarnings(facts.secretsAt(v), facts.secretsNow, v));
  if (then && now) {
    const mounts = mountDifferences(then, now, v);
    if (mounts.length > 0) warnings.push(`infrastructure not restored: ${mounts.join('; ')}`);
  } else {
    warnings.push(
      `infrastructure not restored: volumes and mounts are not part of a release (v${v}'s were never observed)`,
    );
  }
  return {
    target,
    image: target.image_ref!,
    flyToml,
    warnings,
    note: flyToml !== null ? `image and config of v${v}` : `image of v${v} only; config as it was`,
  };
}
