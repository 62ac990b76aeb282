// What a user who clones the repository reads: every file the README links to is in it, and
// every rule id the tests are named by is defined in docs/DESIGN.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.test\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

describe('the documentation in the repository', () => {
  it('every relative link and image in the README names a file that exists', () => {
    const targets = [...readme.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(existsSync(join(root, target)), target).toBe(true);
  });

  it('every rule id a test is named by (D1, S1, R1, …) is defined in docs/DESIGN.md', () => {
    const design = readFileSync(join(root, 'docs', 'DESIGN.md'), 'utf8');
    const defined = new Set([...design.matchAll(/^- \*\*([A-Z]\d)\b/gm)].map((m) => m[1]!));
    const named = new Set<string>();
    for (const file of testFiles(join(root, 'test'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:it|test)\(\s*['"`]([A-Z]\d)[: ]/g)) named.add(m[1]!);
    }
    expect(named.size).toBeGreaterThan(5);
    for (const id of named) expect(defined.has(id), `${id} is not defined in docs/DESIGN.md`).toBe(true);
  });
});
