// B2, issue 13 defect 5: the values a CLI command sends for the secrets an app names. From the
// command's environment, else from an owner-only file (`~/.config/cutover/secrets.env`, KEY=value
// lines, the format of a systemd EnvironmentFile), so a deploy from any shell brings the same.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DaemonError } from './daemon/protocol.ts';

export function secretsFile(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cutover', 'secrets.env');
}

/** The file's KEY=value pairs; none when there is no file. Refused when others could read it. */
function fromFile(file: string): Record<string, string> {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const info = fstatSync(fd);
    const uid = process.getuid?.();
    if ((uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) {
      throw new DaemonError(
        'unsafe-home',
        `${file} holds secrets but is not yours alone (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    const values: Record<string, string> = {};
    for (const raw of readFileSync(fd, 'utf8').split('\n')) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (line === '' || line.startsWith('#') || eq <= 0) continue;
      let value = line.slice(eq + 1).trim();
      if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0])
        value = value.slice(1, -1);
      values[line.slice(0, eq).trim()] = value;
    }
    return values;
  } finally {
    closeSync(fd);
  }
}

/** The values of these secrets this command has: its environment first, then the file. */
export function secretValues(names: string[], env: NodeJS.ProcessEnv): Record<string, string> {
  if (names.length === 0) return {};
  const file = fromFile(secretsFile(env));
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = env[name] ?? file[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}
