// What of the daemon's own environment reaches builds and containers: only what finds programs
// and sets the locale, never the rest of whoever started the daemon.

const PASSED_ON = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** PATH and the like, so `node` and `sh` are found; nothing else of the daemon's leaks in. */
export function baseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of PASSED_ON) {
    const value = env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}
