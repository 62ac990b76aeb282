// Rows that moved up or down together between two frames (a new event pushes the events up, a
// container that went away pulls the table's rows below it up): the terminal can scroll them in
// a region for a dozen bytes instead of having every moved row written again (as curses does).

/** Scroll rows top…bottom (0-based, inclusive) by `by` rows: up when positive, down when negative. */
export interface Scroll {
  top: number;
  bottom: number;
  by: number;
}

// Fewer moved rows than this, or fewer bytes, are cheaper written again than scrolled.
const minRows = 3;
const minBytes = 80;
const maxShift = 4;

/** The scroll that saves the most writing from `was` to `now`, or null when none is worth it. */
export function findScroll(was: string[], now: string[]): Scroll | null {
  let best: { scroll: Scroll; bytes: number } | null = null;
  for (let by = -maxShift; by <= maxShift; by++) {
    if (by === 0) continue;
    let start = -1;
    let bytes = 0;
    const close = (end: number) => {
      // Rows start…end of `now` are rows start+by…end+by of `was`.
      if (start < 0 || end - start + 1 < minRows || bytes < minBytes) return;
      const scroll = by > 0 ? { top: start, bottom: end + by, by } : { top: start + by, bottom: end, by };
      if (best === null || bytes > best.bytes) best = { scroll, bytes };
    };
    for (let row = 0; row <= now.length; row++) {
      const from = was[row + by];
      const moved = row < now.length && from !== undefined && now[row] === from && now[row] !== was[row];
      if (moved) {
        if (start < 0) {
          start = row;
          bytes = 0;
        }
        bytes += now[row]!.length;
      } else {
        close(row - 1);
        start = -1;
      }
    }
  }
  return (best as { scroll: Scroll } | null)?.scroll ?? null;
}

/** The escapes that scroll the region, and leave the scroll region as the whole screen again. */
export function scrollEscapes(s: Scroll): string {
  const shift = s.by > 0 ? `\x1b[${s.by}S` : `\x1b[${-s.by}T`;
  return `\x1b[${s.top + 1};${s.bottom + 1}r${shift}\x1b[r`;
}

/** `rows` as the terminal holds them after the scroll: moved, and blank where rows came in. */
export function scrolled<T>(rows: T[], s: Scroll, blank: () => T): T[] {
  const out = [...rows];
  while (out.length <= s.bottom) out.push(blank());
  for (let row = s.top; row <= s.bottom; row++) {
    const from = row + s.by;
    out[row] = from >= s.top && from <= s.bottom ? (rows[from] ?? blank()) : blank();
  }
  return out;
}
