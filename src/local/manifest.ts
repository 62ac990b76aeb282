// cutover.toml: parse, validate and resolve an app's manifest into the spec it deploys.
// Every error names the file, the line and column of the key, and what was expected. The
// validator, the TOML position finder and "did you mean" live in ./manifest/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { ManifestReader } from './manifest/reader.ts';
import { MANIFEST_FILE, type Manifest, ManifestError } from './manifest/types.ts';

export { MANIFEST_FILE, type Manifest, ManifestError } from './manifest/types.ts';

/** Reads `dir/cutover.toml`; a missing or unreadable file is a ManifestError naming the path. */
export function loadManifest(dir: string): Manifest {
  const absDir = path.resolve(dir);
  const file = path.join(absDir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `no such file; expected a ${MANIFEST_FILE} in ${absDir}`
        : `cannot read it (${code ?? String(err)}); expected a readable ${MANIFEST_FILE}`;
    throw new ManifestError(file, null, null, problem);
  }
  return parseManifest(text, file, absDir);
}

/** Parses and validates a manifest's text; throws the first ManifestError found. */
export function parseManifest(text: string, file: string, dir: string): Manifest {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { unsafeKeyBehaviour: 'throw' }) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const what = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      throw new ManifestError(
        file,
        err.line,
        err.column,
        `invalid TOML: ${what}; expected valid TOML syntax`,
      );
    }
    throw err;
  }
  return new ManifestReader(text, file, dir).read(doc);
}
