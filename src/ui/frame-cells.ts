// A rendered line (text with SGR colour codes, as Ink writes it) as screen cells: one character
// and its style each, so two frames can be compared cell by cell.

/** One column of a row: its character and the SGR parameters it is drawn with ('' = plain). */
export interface Cell {
  ch: string;
  style: string;
}

// Characters of the Basic Multilingual Plane's symbol blocks that terminals draw two columns
// wide (they default to emoji presentation); everything else from U+2000 to U+2BFF is one.
const emojiWide = new Set([
  0x231a, 0x231b, 0x23e9, 0x23ea, 0x23eb, 0x23ec, 0x23f0, 0x23f3, 0x23f8, 0x23f9, 0x23fa, 0x25fd, 0x25fe,
  0x2614, 0x2615, 0x267f, 0x2693, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26d4,
  0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26fa, 0x26fd, 0x2705, 0x270a, 0x270b, 0x2728, 0x274c, 0x274e, 0x2753,
  0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27b0, 0x27bf, 0x2b1b, 0x2b1c, 0x2b50, 0x2b55,
]);

/** Whether a character surely takes exactly one column in a terminal. */
export function isNarrow(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (cp >= 0x300 && cp < 0x370) return false; // combining marks take none
  if (cp < 0x1100) return true;
  if (cp >= 0x2000 && cp < 0x2c00) {
    if (cp >= 0x2648 && cp <= 0x2653) return false;
    return !emojiWide.has(cp) && cp !== 0x200b && cp !== 0x200d;
  }
  return false;
}

// East Asian wide and fullwidth blocks, and the emoji planes: two columns.
const wideRanges: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/**
 * Columns a character takes in a terminal: 0 for combining marks, joiners and variation
 * selectors, 2 for wide ones, else 1. Used to cut a row that is not all narrow to the width.
 */
export function cellWidth(cp: number): number {
  if (isNarrow(cp)) return 1;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp < 0x370)) return 0;
  if (cp === 0x200b || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (emojiWide.has(cp) || (cp >= 0x2648 && cp <= 0x2653)) return 2;
  return wideRanges.some(([from, to]) => cp >= from && cp <= to) ? 2 : 1;
}

/** The SGR state as a canonical parameter string: flags first, then colours. */
interface Sgr {
  flags: Set<number>;
  fg: string;
  bg: string;
}

const flagOff: Record<number, number[]> = {
  22: [1, 2],
  23: [3],
  24: [4],
  25: [5],
  27: [7],
  28: [8],
  29: [9],
};

function apply(state: Sgr, params: string): void {
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) {
      state.flags.clear();
      state.fg = '';
      state.bg = '';
    } else if (code >= 1 && code <= 9) state.flags.add(code);
    else if (flagOff[code] !== undefined) for (const f of flagOff[code]) state.flags.delete(f);
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) state.fg = String(code);
    else if (code === 39) state.fg = '';
    else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) state.bg = String(code);
    else if (code === 49) state.bg = '';
    else if (code === 38 || code === 48) {
      // 38;5;n or 38;2;r;g;b (and the same for backgrounds)
      const take = codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
      const value = codes.slice(i, i + 1 + take).join(';');
      if (code === 38) state.fg = value;
      else state.bg = value;
      i += take;
    }
  }
}

function key(state: Sgr): string {
  return [...[...state.flags].sort((a, b) => a - b).map(String), state.fg, state.bg]
    .filter((p) => p !== '')
    .join(';');
}

/** The escape that sets exactly the style `key` (from a cell), whatever was set before. */
export function sgrFor(key: string): string {
  return key === '' ? '\x1b[0m' : `\x1b[0;${key}m`;
}

const transitions = new Map<string, string>();

/**
 * The shortest escape from style `from` to style `to` (cell styles): only what differs (`ESC[94m`
 * from plain to blue), or a reset and the whole style when a flag must go.
 */
export function sgrBetween(from: string, to: string): string {
  if (to === '') return '\x1b[0m';
  const known = transitions.get(`${from}|${to}`);
  if (known !== undefined) return known;
  const a: Sgr = { flags: new Set(), fg: '', bg: '' };
  const b: Sgr = { flags: new Set(), fg: '', bg: '' };
  apply(a, from);
  apply(b, to);
  const whole = sgrFor(to);
  let shortest = whole;
  if ([...a.flags].every((f) => b.flags.has(f))) {
    const params = [...b.flags].filter((f) => !a.flags.has(f)).map(String);
    if (b.fg !== a.fg) params.push(b.fg || '39');
    if (b.bg !== a.bg) params.push(b.bg || '49');
    const relative = `\x1b[${params.join(';')}m`;
    if (params.length > 0 && relative.length < whole.length) shortest = relative;
  }
  transitions.set(`${from}|${to}`, shortest);
  return shortest;
}

const sgr = /\x1b\[([\d;]*)m/y;

/**
 * The cells of one line. `exact` is false when the line holds a character whose width is not
 * surely one column, or an escape other than SGR: such a row is compared and rewritten whole.
 */
export function parseLine(raw: string): { cells: Cell[]; exact: boolean } {
  const cells: Cell[] = [];
  const state: Sgr = { flags: new Set(), fg: '', bg: '' };
  let style = '';
  let exact = true;
  for (let i = 0; i < raw.length; ) {
    if (raw.charCodeAt(i) === 0x1b) {
      sgr.lastIndex = i;
      const m = sgr.exec(raw);
      if (m !== null) {
        apply(state, m[1]!);
        style = key(state);
        i += m[0].length;
        continue;
      }
      exact = false;
      i++;
      continue;
    }
    const cp = raw.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!isNarrow(cp)) exact = false;
    cells.push({ ch, style });
    i += ch.length;
  }
  return { cells, exact };
}
