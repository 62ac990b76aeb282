// Where Fly's APIs live, overridable by the variables flyctl itself honours, so one setting
// points both cutover and a real flyctl at the same place (flyctl internal/config/config.go,
// internal/uiex/client.go).
import type { FlyToken } from './fly-token.ts';

export interface FlyEndpoints {
  /** The Machines API (flaps); paths below it start with /v1. */
  machines: string;
  /** api.fly.io's REST API, where flyctl reads and writes releases (uiex). */
  releases: string;
  /** Fly's Prometheus-compatible metrics API: `<base>/prometheus/<org>/api/v1/query`. */
  metrics: string;
  token: FlyToken;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function endpointsFrom(env: NodeJS.ProcessEnv, token: FlyToken): FlyEndpoints {
  return {
    machines: trimSlash(env.FLY_FLAPS_BASE_URL || 'https://api.machines.dev'),
    releases: trimSlash(env.FLY_UIEX_BASE_URL || 'https://api.fly.io'),
    // flyctl has no variable of its own for the metrics API; it is served by api.fly.io, whose
    // base FLY_API_BASE_URL moves.
    metrics: trimSlash(env.FLY_API_BASE_URL || 'https://api.fly.io'),
    token,
  };
}
