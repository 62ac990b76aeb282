// The terminal side of a full screen. The screen computes each frame as lines (text with SGR
// colour codes); this writer keeps what is on the terminal, row by row, and writes only the cells
// that changed, each run at an absolute position in the alternate screen. A frame equal to the
// screen writes nothing; a tick that changes "12s" into "13s" writes a few bytes; after a resize
// it clears and repaints everything (the terminal cropped or reflowed what it showed). Ink only
// reads the keys: its own frames (empty) are dropped, its cursor switches pass.
import { type Cell, cellWidth, parseLine, sgrBetween } from './frame-cells.ts';
import { findScroll, scrollEscapes, scrolled } from './frame-scroll.ts';
import { clearScreen } from './terminal.ts';

const bsu = '\x1b[?2026h';
const esu = '\x1b[?2026l';

/** One row as it is on the screen; its cells are parsed only when a frame changes it. */
interface Row {
  raw: string;
  parsed: { cells: Cell[]; exact: boolean } | null;
}

/** Where frames go, and what the screen does on a resize. */
export interface FrameWriter {
  /** The stdout Ink is given: its mode switches (cursor) pass, its frames are dropped. */
  stdout: NodeJS.WriteStream;
  /** Brings the terminal to these lines: only what changed is written; nothing when nothing did. */
  draw(lines: string[]): void;
  /** The terminal was resized: clear it and repaint the last frame, cut to the new size. */
  invalidate(): void;
  /** Bytes written for frames so far (a benchmark compares them with full redraws). */
  readonly bytes: number;
}

/**
 * `full`: every frame that differs from the last is written whole (the benchmark's baseline,
 * CUTOVER_RENDER=full); otherwise only the cells that changed.
 */
export interface FrameWriterOptions {
  full?: boolean;
}

const at = (row: number, column: number) => `\x1b[${row + 1};${column + 1}H`;

export function frameWriter(stdout: NodeJS.WriteStream, o: FrameWriterOptions = {}): FrameWriter {
  let screen: Row[] = [];
  let lastFrame: string[] = [];
  let bytes = 0;
  const out = (text: string) => {
    bytes += Buffer.byteLength(text);
    (stdout.write as (chunk: string) => boolean)(text);
  };

  /** The writes that bring `screen` to `lines`; '' when nothing changed. */
  function diff(lines: string[]): string {
    const columns = stdout.columns || 80;
    // Never the terminal's last row: a frame as tall as the terminal scrolls it.
    const height = Math.max(1, (stdout.rows || 24) - 1);
    const next: Row[] = lines.slice(0, height).map((raw) => ({ raw, parsed: null }));
    let text = '';
    let style = '';
    const setStyle = (wanted: string) => {
      if (wanted === style) return;
      text += sgrBetween(style, wanted);
      style = wanted;
    };
    // An erase fills with the current background: a style without one erases as plain does.
    const erase = (sequence: string) => {
      if (!erasesPlain(style)) setStyle('');
      text += sequence;
    };
    // Where the cursor is, once something was written in this frame; null when not known for sure.
    let cursor: { row: number; column: number } | null = null;
    const moveTo = (row: number, column: number) => {
      if (cursor?.row === row && cursor.column === column) return;
      text += shortestMove(cursor, row, column);
      cursor = { row, column };
    };
    const put = (cell: Cell, column: number) => {
      // A blank among coloured cells is written in their colour: it looks the same, and the
      // colour need not be switched off and on again around it.
      if (!(showsAsBlank(cell) && blankInStyle(style))) setStyle(cell.style);
      text += cell.ch;
      // At the last column the cursor stays (or waits to wrap): the next move says where.
      if (cursor !== null) cursor = column + 1 < columns ? { row: cursor.row, column: column + 1 } : null;
    };
    const cells = (row: Row) => {
      if (row.parsed === null) row.parsed = fitted(parseLine(row.raw), columns);
      return row.parsed;
    };
    // Rows that moved together are scrolled in a region first (which homes the cursor).
    const scroll = o.full
      ? null
      : findScroll(
          screen.map((r) => r.raw),
          next.map((r) => r.raw),
        );
    if (scroll !== null) {
      text += scrollEscapes(scroll);
      screen = scrolled(screen, scroll, (): Row => ({ raw: '', parsed: { cells: [], exact: true } }));
    }
    for (let row = 0; row < Math.max(next.length, screen.length); row++) {
      const was = screen[row];
      const now = next[row];
      if (now === undefined) {
        moveTo(row, 0);
        erase('\x1b[2K');
        continue;
      }
      if (was !== undefined && was.raw === now.raw) {
        now.parsed = was.parsed;
        continue;
      }
      const drawn = cells(now);
      const before = was === undefined || o.full ? null : cells(was);
      if (before === null || !before.exact || !drawn.exact) {
        moveTo(row, 0);
        for (const cell of drawn.cells) {
          setStyle(cell.style);
          text += cell.ch;
        }
        erase('\x1b[K');
        // A row not all narrow leaves the cursor where its characters' widths put it.
        cursor = drawn.exact ? { row, column: Math.min(drawn.cells.length, columns - 1) } : null;
        if (drawn.cells.length >= columns) cursor = null;
        continue;
      }
      // Only the runs of cells that changed: a chart line that moved one column rewrites its
      // two ends, not the line between them.
      for (const [first, last] of changedRuns(before.cells, drawn.cells)) {
        moveTo(row, first);
        for (let i = first; i <= last; i++) put(drawn.cells[i]!, i);
      }
      if (drawn.cells.length < before.cells.length) {
        moveTo(row, drawn.cells.length);
        erase('\x1b[K');
      }
    }
    setStyle('');
    screen = next;
    return text;
  }

  function draw(lines: string[]): void {
    if (o.full && lines.length === lastFrame.length && lines.every((l, i) => l === lastFrame[i])) return;
    lastFrame = lines;
    if (o.full) screen = [];
    const text = diff(lines);
    if (text !== '') out(`${bsu}${o.full ? '\x1b[H\x1b[J' : ''}${text}${esu}`);
  }

  function write(chunk: unknown, ...rest: unknown[]): boolean {
    const pass = () => (stdout.write as (...args: unknown[]) => boolean)(chunk, ...rest);
    if (typeof chunk !== 'string') return pass();
    // A mode switch (cursor hide/show, keyboard protocol), or Ink's empty write that waits for
    // the stream to drain; anything else is one of Ink's frames, which this screen does not use.
    if (chunk.startsWith('\x1b[?') && chunk !== bsu && chunk !== esu) return pass();
    if (chunk.startsWith('\x1b[<') || (chunk === '' && rest.length > 0)) return pass();
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
    draw,
    invalidate() {
      screen = [];
      out(clearScreen);
      const text = diff(lastFrame);
      if (text !== '') out(`${bsu}${text}${esu}`);
    },
    get bytes() {
      return bytes;
    },
  };
}

/** A row cut to `columns` columns (a resize narrower than the frame, or wide characters). */
function fitted(
  parsed: { cells: Cell[]; exact: boolean },
  columns: number,
): { cells: Cell[]; exact: boolean } {
  if (parsed.exact)
    return parsed.cells.length > columns ? { ...parsed, cells: parsed.cells.slice(0, columns) } : parsed;
  let used = 0;
  let count = 0;
  for (const cell of parsed.cells) {
    const w = cellWidth(cell.ch.codePointAt(0)!);
    if (used + w > columns) break;
    used += w;
    count++;
  }
  return count === parsed.cells.length ? parsed : { ...parsed, cells: parsed.cells.slice(0, count) };
}

/**
 * The shortest way from `from` (null: not known) to a cell: an absolute position, or relative
 * moves (`ESC[B` one row down, `ESC[5D` five columns left), or down and to a column.
 */
function shortestMove(from: { row: number; column: number } | null, row: number, column: number): string {
  const absolute = at(row, column);
  if (from === null) return absolute;
  const by = (n: number, forward: string, back: string) =>
    n === 0 ? '' : `\x1b[${Math.abs(n) === 1 ? '' : Math.abs(n)}${n > 0 ? forward : back}`;
  const vertical = by(row - from.row, 'B', 'A');
  const moves = [absolute, vertical + by(column - from.column, 'C', 'D'), `${vertical}\x1b[${column + 1}G`];
  return moves.reduce((best, move) => (move.length < best.length ? move : best));
}

/** Whether a style (a cell's SGR parameters) leaves the background as it is: no colour, no inverse. */
function erasesPlain(style: string): boolean {
  return style.split(';').every((p) => {
    const n = Number(p);
    return !(p === '7' || p === '48' || (n >= 40 && n <= 47) || (n >= 100 && n <= 107));
  });
}

/**
 * Whether a space drawn in this style looks like an erased cell: no background, inverse or line
 * (under, over, through). Its foreground colour and weight do not show on a space.
 */
function blankInStyle(style: string): boolean {
  let blank = blankStyles.get(style);
  if (blank === undefined) {
    blank =
      erasesPlain(style) && !style.split(';').some((p) => p === '4' || p === '9' || p === '21' || p === '53');
    blankStyles.set(style, blank);
  }
  return blank;
}
const blankStyles = new Map<string, boolean>([['', true]]);

function showsAsBlank(cell: Cell): boolean {
  return cell.ch === ' ' && blankInStyle(cell.style);
}

/** Whether two cells look the same on the terminal. */
function looksSame(a: Cell, b: Cell): boolean {
  return (
    a.ch === b.ch && (a.style === b.style || (a.ch === ' ' && blankInStyle(a.style) && blankInStyle(b.style)))
  );
}

// Unchanged cells between two changed runs are written again when that is shorter than moving
// the cursor past them (an absolute position is six to eight bytes).
const reachOver = 3;

/** The runs [first, last] of cells of `now` that differ from `was`, close runs merged. */
function changedRuns(was: Cell[], now: Cell[]): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < now.length; i++) {
    const cell = now[i]!;
    const old = was[i];
    // Past the end of the row it was, the terminal shows blanks (the writer erased them).
    if (old === undefined ? showsAsBlank(cell) : looksSame(old, cell)) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && i - last[1] - 1 <= reachOver) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}
