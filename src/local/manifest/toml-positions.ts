// Where each key sits in a TOML source: smol-toml reports no value positions, so errors find
// their line here.

/** A key's path in the document: `["functions", 0, "port"]`. */
export type KeyPath = (string | number)[];

/**
 * Where each key and table header sits in the source: smol-toml gives no value positions.
 * Keys are full paths; the Nth `[[functions]]` header is `["functions", N]`.
 */
export function locateKeys(text: string): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  const arrayCounts = new Map<string, number>();
  let table: KeyPath = [];
  let openQuote: string | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (openQuote) {
      if (countOf(raw, openQuote) % 2 === 1) openQuote = null;
      return;
    }
    const start = raw.length - raw.trimStart().length;
    const column = start + 1;
    const rest = raw.slice(start);
    const record = (at: KeyPath) => {
      const id = JSON.stringify(at);
      if (!found.has(id)) found.set(id, { line, column });
    };
    if (rest.startsWith('[[')) {
      const key = readDottedKey(rest, 2);
      if (!key) return;
      const id = JSON.stringify(key.path);
      const index = arrayCounts.get(id) ?? 0;
      arrayCounts.set(id, index + 1);
      table = [...key.path, index];
      record(key.path);
      record(table);
    } else if (rest.startsWith('[')) {
      const key = readDottedKey(rest, 1);
      if (!key) return;
      table = key.path;
      record(table);
    } else {
      const key = readDottedKey(rest, 0);
      if (!key || rest[key.end] !== '=') return;
      record([...table, ...key.path]);
      const value = rest.slice(key.end + 1);
      for (const quote of ['"""', "'''"]) {
        if (countOf(value, quote) % 2 === 1) openQuote = quote;
      }
    }
  });
  return found;
}

/** Reads `a."b".c` from `from`; `end` is the index after trailing spaces. */
function readDottedKey(text: string, from: number): { path: string[]; end: number } | null {
  const keyPath: string[] = [];
  let i = from;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== quote) j += quote === '"' && text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return null;
      const raw = text.slice(i + 1, j);
      const part = quote === '"' ? unescapeBasic(raw) : raw;
      keyPath.push(part);
      i = j + 1;
    } else {
      const bare = /^[A-Za-z0-9_-]+/.exec(text.slice(i));
      if (!bare) return null;
      keyPath.push(bare[0]);
      i += bare[0].length;
    }
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') return { path: keyPath, end: i };
    i++;
  }
}

/** A basic string's escapes; TOML's are JSON's plus a few, which stay as written. */
function unescapeBasic(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
