// The fly.toml of the directory `cutover deploy DIR --platform fly` is given: which app it deploys,
// and its exact text (recorded for the release it becomes). Bad input is a usage error that says
// where it went wrong, before anything runs.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { ProviderError } from '../../engine/provider-error.ts';
import { checkAppName } from './release-store.ts';

/** The app a directory's fly.toml names, and the file's text; usage errors say where it went wrong. */
export function readFlyToml(dir: string): { app: string; text: string } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ProviderError('usage', `${dir} is not a directory`);
  const file = join(dir, 'fly.toml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ProviderError(
      'usage',
      `no fly.toml in ${dir}: run fly launch there first, or fly config save -a APP`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : '';
    throw new ProviderError('usage', `${file}${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc.app !== 'string' || doc.app === '') {
    throw new ProviderError('usage', `${file}: no app = "NAME" line (which Fly app does it deploy?)`);
  }
  checkAppName(doc.app);
  return { app: doc.app, text };
}
