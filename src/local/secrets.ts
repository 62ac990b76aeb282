// B2: secrets are never stored, logged or shown. A version records, per secret name, a keyed
// fingerprint (HMAC-SHA256 under a key only the daemon's owner can read), so a rollback can say
// "STRIPE_KEY differs" without anyone learning the value or brute-forcing a plain hash.
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, readFileSync, writeFileSync } from 'node:fs';
import { openStateFile } from './paths.ts';

export function loadOrCreateKey(file: string): Buffer {
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' }); // O_EXCL: never through a link
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const fd = openStateFile(file, constants.O_RDONLY);
  try {
    fchmodSync(fd, 0o600);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
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
