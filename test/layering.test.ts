// STYLE.md: dependencies point one way, ui → engine ← local, providers; cli wires them.
// This reads every import in src/ and fails on one that points the wrong way.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  found.push(...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
  found.push(...[...text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!));
  return found;
}

/** The src/ layer a specifier lands in, or the package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return `pkg:${specifier}`;
  return relative(root, resolve(file, '..', specifier)).split('/')[0]!;
}

const layerOf = (file: string) => relative(root, file).split('/')[0]!;

/** Which layers each layer may import from (itself always). */
const allowed: Record<string, string[]> = {
  engine: [],
  sim: ['engine'],
  ui: ['engine'],
  local: ['engine'],
  providers: ['engine'],
  cli: ['engine', 'ui', 'local', 'providers'],
};

describe('layering', () => {
  const all = files(root);

  it('finds the layers it checks', () => {
    expect([...new Set(all.map(layerOf))]).toEqual(
      expect.arrayContaining(['engine', 'sim', 'ui', 'local', 'cli']),
    );
  });

  it('each layer imports only from the layers below it', () => {
    const wrong: string[] = [];
    for (const file of all) {
      const layer = layerOf(file);
      for (const specifier of imports(file)) {
        const to = target(file, specifier);
        if (to.startsWith('pkg:') || to === layer) continue;
        if (!(allowed[layer] ?? []).includes(to)) wrong.push(`${relative(root, file)} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the engine does no I/O: no process, socket, file, database or clock', () => {
    const io: string[] = [];
    for (const file of all.filter((f) => layerOf(f) === 'engine')) {
      for (const specifier of imports(file)) {
        if (specifier.startsWith('.') || specifier === 'node:crypto') continue;
        io.push(`${relative(root, file)} imports ${specifier}`);
      }
      const text = readFileSync(file, 'utf8');
      if (
        /\bDate\.now\(|new Date\(|Math\.random\(|performance\.now\(|setTimeout\(|setInterval\(/.test(text)
      ) {
        io.push(`${relative(root, file)} reads the clock or randomness`);
      }
    }
    expect(io).toEqual([]);
  });
});
