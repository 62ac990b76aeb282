// A screen line as segments with a semantic tone; ansi.ts maps tones to colours (or none).

/** What a segment means; it gets a colour (ansi.ts) only when colour is on. */
export type Tone =
  | 'old'
  | 'new'
  | 'queue'
  | 'ok'
  | 'warn'
  | 'error'
  | 'dim'
  | 'accent'
  | 'focus'
  /** A panel's title (bold); the focused panel's; a title while the data is stale. */
  | 'title'
  | 'titleFocus'
  | 'titleMuted'
  /** A table's column headings, and its rules and borders. */
  | 'heading'
  | 'rule'
  /** A dialog's frame. */
  | 'border'
  /** The chart's per-version colours (version number modulo 4). */
  | 'series0'
  | 'series1'
  | 'series2'
  | 'series3';

/** A run of text with one tone. */
export interface Segment {
  text: string;
  tone?: Tone;
}

/** One screen line. */
export type Line = Segment[];

export function seg(text: string, tone?: Tone): Segment {
  return tone === undefined ? { text } : { text, tone };
}

/** The line's plain text. */
export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts a line to `width` characters, ending with `…` when something was cut. */
export function clipLine(line: Line, width: number): Line {
  let total = 0;
  for (const s of line) total += s.text.length;
  if (total <= width) return line;
  const out: Line = [];
  let left = Math.max(0, width - 1);
  for (const s of line) {
    if (left <= 0) break;
    const text = s.text.slice(0, left);
    out.push({ ...s, text });
    left -= text.length;
  }
  if (width > 0) out.push({ text: '…' });
  return out;
}

/** Cuts plain text to `width`, ending with `…` when something was cut. */
export function clip(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 0) return '';
  return `${text.slice(0, width - 1)}…`;
}

/**
 * Breaks a line into lines of at most `width` characters, at spaces where it can (a word longer
 * than the width is cut). Tones carry over; continuation lines start with `indent` spaces.
 */
export function wrapLine(line: Line, width: number, indent = 0): Line[] {
  if (width <= 0) return [line];
  const cells: { ch: string; tone: Tone | undefined }[] = [];
  for (const s of line) for (const ch of s.text) cells.push({ ch, tone: s.tone });
  const rows: (typeof cells)[] = [];
  let start = 0;
  let room = width;
  while (cells.length - start > room) {
    let cut = -1;
    for (let i = start + room; i > start; i--) {
      if (cells[i]?.ch === ' ') {
        cut = i;
        break;
      }
    }
    const end = cut > start ? cut : start + room;
    rows.push(cells.slice(start, end));
    start = cut > start ? cut + 1 : end;
    room = Math.max(1, width - indent);
  }
  rows.push(cells.slice(start));
  return rows.map((row, i) => {
    const out: Line = i > 0 && indent > 0 ? [seg(' '.repeat(indent))] : [];
    for (const cell of row) {
      const last = out[out.length - 1];
      if (last !== undefined && last.tone === cell.tone) last.text += cell.ch;
      else out.push(seg(cell.ch, cell.tone));
    }
    return out;
  });
}
