// How the fake `fly` reaches the APIs: the same base URLs and token lookup as flyctl
// (internal/config/config.go: FLY_ACCESS_TOKEN, FLY_API_TOKEN, else access_token in
// $FLY_CONFIG_DIR or ~/.fly/config.yml), so it talks to whatever the test's HTTP fake is.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export class FlyError extends Error {}

export function token() {
  const env = process.env.FLY_ACCESS_TOKEN || process.env.FLY_API_TOKEN;
  if (env) return env.replace(/^(Bearer|FlyV1)\s+/i, '').trim();
  try {
    const dir = process.env.FLY_CONFIG_DIR ?? join(process.env.HOME || homedir(), '.fly');
    const line = readFileSync(join(dir, 'config.yml'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('access_token:'));
    const value = line
      ?.slice('access_token:'.length)
      .trim()
      .replace(/^["']|["']$/g, '');
    if (value) return value;
  } catch {
    // no config file
  }
  throw new FlyError("No access token available. Please login with 'flyctl auth login'");
}

const machinesBase = () => (process.env.FLY_FLAPS_BASE_URL || 'https://api.machines.dev').replace(/\/+$/, '');
const apiBase = () => (process.env.FLY_UIEX_BASE_URL || 'https://api.fly.io').replace(/\/+$/, '');

async function call(base, method, path, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text === '' ? null : JSON.parse(text);
  if (!response.ok) {
    const error = new FlyError(json?.error ?? `status ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return json;
}

export const machines = (method, path, body, headers) =>
  call(machinesBase(), method, `/v1${path}`, body, headers);
export const api = (method, path, body) => call(apiBase(), method, path, body);
/** The fake's own side door (what a registry push would be): not a Fly API. */
export const fake = (method, path, body) => call(machinesBase(), method, `/__fake${path}`, body);
