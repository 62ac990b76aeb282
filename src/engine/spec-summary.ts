// A version's spec as the screen's rollback and rollover dialogs show it (what changes): never a
// secret's value, only its name and the start of its keyed fingerprint (B2).
import type { SpecSummary } from './snapshot.ts';
import type { Version } from './types.ts';

/** What the local platform cannot take back when it rolls back (B2). */
function outside(v: Version): string[] {
  return [
    ...(v.spec.secrets.length > 0 ? ["secret values (read from the daemon's environment at start)"] : []),
    'data the app wrote outside its image',
  ];
}

export function specSummary(v: Version): SpecSummary {
  return {
    image: v.spec.image,
    functions: v.spec.functions.map((fn) => ({
      name: fn.name,
      command: typeof fn.command === 'string' ? fn.command : fn.command.join(' '),
      containers: fn.containers,
      concurrency: fn.concurrency,
    })),
    env: { ...v.spec.env },
    secrets: Object.fromEntries(
      v.spec.secrets.map((name) => [name, v.secretFingerprints[name]?.slice(0, 12) ?? null]),
    ),
    template: `${v.templateEpoch}:${v.specHash}`,
    outside: outside(v),
  };
}
