// B2: secrets are never stored, logged or shown. A version records, per secret name, a keyed
// fingerprint (HMAC-SHA256 under a key only the daemon's owner can read), so a rollback can say
// "STRIPE_KEY differs" without anyone learning the value or brute-forcing a plain hash.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export function loadOrCreateKey(file: string): Buffer {
  if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return readFileSync(file);
}

/** Fingerprints of the named secrets' current values; null for one that is not set. */
export function fingerprints(
  key: Buffer,
  names: string[],
  env: NodeJS.ProcessEnv,
): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const name of names) {
    const value = env[name];
    result[name] =
      value === undefined ? null : createHmac('sha256', key).update(value).digest('hex').slice(0, 16);
  }
  return result;
}
