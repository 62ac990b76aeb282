// The terminal side of the watch screen. Ink renders each frame as a whole (its standard mode:
// erase the last frame, write the new one); this stdout wrapper keeps what is on the screen, row
// by row, and writes only the cells that changed, each run at an absolute position in the
// alternate screen. It therefore always knows the screen it left: after a resize it clears and
// repaints everything (Ink's own incremental mode skips unchanged lines and leaves rows blank
// after an enlarging resize), and a tick that changes "12s" into "13s" writes a few bytes.
import { type Cell, parseLine, sgrFor } from './frame-cells.ts';

const bsu = '\x1b[?2026h';
const esu = '\x1b[?2026l';
const clearScreen = '\x1b[2J\x1b[H';
// What log-update writes before a frame: the last frame's erase (ansi-escapes' eraseLines), or
// the terminal clear Ink writes after a full-height frame.
const erasePrefix = /^(?:\x1b\[2J\x1b\[3J\x1b\[H)?(?:\x1b\[2K(?:\x1b\[1A)?)*(?:\x1b\[G)?/;

/** One row as it is on the screen. */
interface Row {
  raw: string;
  cells: Cell[];
  /** False when a character's width is not known for sure: the row is then rewritten whole. */
  exact: boolean;
}

/** The stdout Ink writes to, and what the screen does on a resize. */
export interface FrameWriter {
  stdout: NodeJS.WriteStream;
  /** The terminal was resized: clear it and repaint the last frame, cut to the new size. */
  invalidate(): void;
  /** Bytes written for frames so far (a benchmark compares them with full redraws). */
  readonly bytes: number;
}

const at = (row: number, column: number) => `\x1b[${row + 1};${column + 1}H`;

export function frameWriter(stdout: NodeJS.WriteStream): FrameWriter {
  let screen: Row[] = [];
  let lastFrame: string[] = [];
  let bytes = 0;
  const out = (text: string) => {
    bytes += Buffer.byteLength(text);
    return (stdout.write as (chunk: string) => boolean)(text);
  };

  /** The writes that bring `screen` to `lines`; '' when nothing changed. */
  function diff(lines: string[]): string {
    const columns = stdout.columns || 80;
    const height = Math.max(1, (stdout.rows || 24) - 1);
    const next: Row[] = lines.slice(0, height).map((raw) => {
      const parsed = parseLine(raw);
      return parsed.cells.length > columns ? cutRow(parsed, columns) : { raw, ...parsed };
    });
    let text = '';
    let style = '';
    const setStyle = (wanted: string) => {
      if (wanted === style) return;
      text += sgrFor(wanted);
      style = wanted;
    };
    for (let row = 0; row < Math.max(next.length, screen.length); row++) {
      const was = screen[row];
      const now = next[row];
      if (now === undefined) {
        setStyle('');
        text += `${at(row, 0)}\x1b[2K`;
        continue;
      }
      if (was !== undefined && was.raw === now.raw) continue;
      if (was === undefined || !was.exact || !now.exact) {
        text += at(row, 0);
        for (const cell of now.cells) {
          setStyle(cell.style);
          text += cell.ch;
        }
        setStyle('');
        text += '\x1b[K';
        continue;
      }
      const { first, last } = changedSpan(was.cells, now.cells);
      if (first < 0) continue;
      text += at(row, first);
      for (let i = first; i <= last; i++) {
        const cell = now.cells[i]!;
        setStyle(cell.style);
        text += cell.ch;
      }
      if (now.cells.length < was.cells.length) {
        if (last < now.cells.length - 1 || first > now.cells.length) text += at(row, now.cells.length);
        setStyle('');
        text += '\x1b[K';
      }
    }
    setStyle('');
    screen = next;
    return text;
  }

  function draw(lines: string[]): void {
    const text = diff(lines);
    if (text !== '') out(`${bsu}${text}${esu}`);
  }

  function write(chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk !== 'string') return (stdout.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    // Ink brackets its frames with synchronized-output marks; this writer brackets its own.
    if (chunk === bsu || chunk === esu) return true;
    const frame = chunk.replace(erasePrefix, '');
    // A mode switch (cursor hide/show), or Ink's empty write that waits for the stream to drain.
    if (frame === '' || frame.startsWith('\x1b[?') || frame.startsWith('\x1b[<')) {
      if (frame !== '' || rest.length > 0)
        return (stdout.write as (...args: unknown[]) => boolean)(frame, ...rest);
      return true;
    }
    const lines = frame.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lastFrame = lines;
    draw(lines);
    return true;
  }

  const proxy = new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });

  return {
    stdout: proxy,
    invalidate() {
      screen = [];
      out(clearScreen);
      draw(lastFrame);
    },
    get bytes() {
      return bytes;
    },
  };
}

/** A row cut to `columns` cells (only a resize narrower than the last frame makes one). */
function cutRow(parsed: { cells: Cell[]; exact: boolean }, columns: number): Row {
  const cells = parsed.cells.slice(0, columns);
  return { raw: cells.map((c) => `${c.style}\u0000${c.ch}`).join(''), cells, exact: parsed.exact };
}

/** The first and last cells of `now` that differ from `was`; first is -1 when none do. */
function changedSpan(was: Cell[], now: Cell[]): { first: number; last: number } {
  const same = (i: number) =>
    was[i] !== undefined && was[i]!.ch === now[i]!.ch && was[i]!.style === now[i]!.style;
  let first = 0;
  while (first < now.length && same(first)) first++;
  if (first === now.length)
    return now.length < was.length ? { first: now.length, last: now.length - 1 } : { first: -1, last: -1 };
  let last = now.length - 1;
  while (last > first && same(last)) last--;
  return { first, last };
}
