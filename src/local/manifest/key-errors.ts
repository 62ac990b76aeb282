// Where a manifest error points and how it names the key: the key's line and column in the
// source (or its nearest enclosing key's), `containers in function "web"` rather than a path.
import { closest } from './did-you-mean.ts';
import type { KeyPath } from './toml-positions.ts';
import { ManifestError } from './types.ts';

/** Turns a key's path into the error a reader throws about it. */
export class KeyErrors {
  /** Each function's name when valid, so an error can name the function it is about. */
  functionNames: (string | null)[] = [];

  constructor(
    private readonly keyLines: Map<string, { line: number; column: number }>,
    private readonly file: string,
  ) {}

  /** Fails on the first key of `table` not in `known`, suggesting the nearest known one. */
  checkKeys(table: Record<string, unknown>, at: KeyPath, known: string[]): void {
    for (const key of Object.keys(table)) {
      if (known.includes(key)) continue;
      const guess = closest(key, known);
      const where = at.length === 0 ? '' : ` in ${this.section(at)}`;
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      this.fail([...at, key], `unknown key "${key}"${where}${hint}; expected one of ${known.join(', ')}`);
    }
  }

  /** How an error names a key: `app`, `build.command`, `containers in function "web"`. */
  label(at: KeyPath): string {
    if (at[0] === 'functions' && typeof at[1] === 'number' && at.length > 2) {
      return `${at.slice(2).join('.')} in ${this.section(at)}`;
    }
    return at.join('.');
  }

  /** How an error names the table a key is in: `[build]`, `function "web"`. */
  section(at: KeyPath): string {
    if (at[0] === 'functions' && typeof at[1] === 'number') {
      const name = this.functionNames[at[1]];
      return name ? `function "${name}"` : `function #${at[1] + 1}`;
    }
    return `[${at.join('.')}]`;
  }

  /** The line a key sits on in the source, if found. */
  lineOf(at: KeyPath): number | null {
    return this.keyLines.get(JSON.stringify(at))?.line ?? null;
  }

  /** Throws at the key's line, or at its nearest enclosing key or table found in the source. */
  fail(at: KeyPath, problem: string): never {
    for (let n = at.length; n > 0; n--) {
      const found = this.keyLines.get(JSON.stringify(at.slice(0, n)));
      if (found) throw new ManifestError(this.file, found.line, found.column, problem);
    }
    throw new ManifestError(this.file, null, null, problem);
  }
}
