// A screen line as segments with a semantic tone; components map tones to colours (or none).

/** What a segment means; the component picks a colour for it only when colour is on. */
export type Tone = 'old' | 'new' | 'queue' | 'ok' | 'warn' | 'error' | 'dim' | 'accent' | 'focus';

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
  const total = lineText(line).length;
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
