// The Fly access token, found where flyctl finds it (flyctl internal/config/config.go: the
// FLY_ACCESS_TOKEN or FLY_API_TOKEN variable, else `access_token` in config.yml under
// $FLY_CONFIG_DIR or ~/.fly, helpers/config.go), and the Authorization headers fly-go builds
// from it (tokens/tokens.go). The token only ever goes into those headers: it is never
// logged, stored, or put in an error message.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ProviderError } from '../../engine/provider-error.ts';

/** A parsed token, split as fly-go splits it: macaroons (`fm1r_`, `fm1a_`, `fm2_`) and the rest. */
export interface FlyToken {
  macaroons: string[];
  others: string[];
  /** Where it came from, for messages (`$FLY_API_TOKEN`, `~/.fly/config.yml`). */
  source: string;
}

export const notLoggedIn = 'not logged in: run fly auth login or set FLY_API_TOKEN';

/** fly-go tokens.StripAuthorizationScheme then Parse: `FlyV1 a,b` → macaroons and others. */
export function parseToken(raw: string, source: string): FlyToken {
  let text = raw.trim();
  for (;;) {
    const match = /^(bearer|flyv1)\s+(.*)$/is.exec(text);
    if (!match) break;
    text = match[2]!.trim();
  }
  const token: FlyToken = { macaroons: [], others: [], source };
  for (const part of text.split(',')) {
    const piece = part.trim();
    if (piece === '') continue;
    const prefix = piece.split('_')[0];
    if (prefix === 'fm1r' || prefix === 'fm1a' || prefix === 'fm2') token.macaroons.push(piece);
    else token.others.push(piece);
  }
  return token;
}

/** The directory flyctl keeps its config.yml in. */
export function flyConfigDir(env: NodeJS.ProcessEnv): string {
  return env.FLY_CONFIG_DIR !== undefined ? env.FLY_CONFIG_DIR : join(env.HOME || homedir(), '.fly');
}

/**
 * The value of one top-level scalar key of a YAML mapping, as gopkg.in/yaml.v3 writes
 * config.yml: `key: value`, `key: "value"` or `key: 'value'`. Enough for `access_token`
 * without a YAML dependency; anything more complex reads as absent.
 */
export function topLevelScalar(yaml: string, key: string): string | null {
  for (const line of yaml.split(/\r?\n/)) {
    if (!line.startsWith(`${key}:`)) continue;
    const value = line.slice(key.length + 1).trim();
    if (value === '' || value === '~' || value === 'null') return null;
    if (value.startsWith('"')) {
      try {
        return JSON.parse(value) as string;
      } catch {
        return null;
      }
    }
    if (value.startsWith("'")) return value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : null;
    return value.replace(/\s+#.*$/, '');
  }
  return null;
}

/** The token flyctl would use, or a `usage` error saying how to log in. */
export function findToken(env: NodeJS.ProcessEnv): FlyToken {
  for (const name of ['FLY_ACCESS_TOKEN', 'FLY_API_TOKEN']) {
    const value = env[name];
    if (value && value.trim() !== '') return parseToken(value, `$${name}`);
  }
  const file = join(flyConfigDir(env), 'config.yml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ProviderError('usage', notLoggedIn);
    throw new ProviderError('usage', `${notLoggedIn} (cannot read ${file}: ${(error as Error).message})`);
  }
  const value = topLevelScalar(text, 'access_token');
  if (value === null || value.trim() === '') throw new ProviderError('usage', notLoggedIn);
  return parseToken(value, file);
}

/** fly-go Tokens.FlapsHeader: macaroons alone with `FlyV1` when there are any, else `Bearer`. */
export function machinesAuthorization(token: FlyToken): string {
  return token.macaroons.length > 0
    ? `FlyV1 ${token.macaroons.join(',')}`
    : `Bearer ${token.others.join(',')}`;
}

/** flyctl internal/uiex: `Bearer ` + Tokens.GraphQL() (macaroons, then the others). */
export function apiAuthorization(token: FlyToken): string {
  return `Bearer ${[...token.macaroons, ...token.others].join(',')}`;
}
