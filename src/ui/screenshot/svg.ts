// A terminal screen → a self-contained SVG screenshot. Pure: reads only the buffer it is given,
// so the same screen always gives the same bytes.

/** The parts of an xterm buffer cell that a screenshot reads (an @xterm/headless IBufferCell fits). */
export interface XtermCellLike {
  getChars(): string;
  getWidth(): number;
  isFgDefault(): boolean;
  isFgPalette(): boolean;
  isFgRGB(): boolean;
  getFgColor(): number;
  isBgDefault(): boolean;
  isBgPalette(): boolean;
  isBgRGB(): boolean;
  getBgColor(): number;
  isBold(): number;
  isDim(): number;
  isItalic(): number;
  isUnderline(): number;
  isInverse(): number;
  isInvisible(): number;
  isStrikethrough(): number;
}

/** The parts of an xterm terminal that a screenshot reads (an @xterm/headless Terminal fits). */
export interface XtermLike {
  readonly cols: number;
  readonly rows: number;
  readonly buffer: {
    readonly active: {
      readonly viewportY: number;
      getLine(y: number): { getCell(x: number): XtermCellLike | undefined } | undefined;
    };
  };
}

/** Options for terminalToSvg. */
export interface SvgOptions {
  title?: string;
  fontSize?: number;
}

const DEFAULT_FG = '#d4d4d4';
const DEFAULT_BG = '#1e1e1e';
const TITLE_BAR_BG = '#323232';
const TITLE_FG = '#9a9a9a';
const FONT_FAMILY = "ui-monospace,'SF Mono','DejaVu Sans Mono',Menlo,Consolas,monospace";

// The standard xterm colours 0–15, then the 6×6×6 cube, then 24 greys.
const ANSI_16 = [
  '#000000',
  '#cd0000',
  '#00cd00',
  '#cdcd00',
  '#0000ee',
  '#cd00cd',
  '#00cdcd',
  '#e5e5e5',
  '#7f7f7f',
  '#ff0000',
  '#00ff00',
  '#ffff00',
  '#5c5cff',
  '#ff00ff',
  '#00ffff',
  '#ffffff',
];
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

function hex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** The standard xterm 256-colour palette as #rrggbb strings. */
export const XTERM_256_PALETTE: readonly string[] = (() => {
  const palette = [...ANSI_16];
  for (let i = 0; i < 216; i++) {
    palette.push(
      hex(CUBE_LEVELS[Math.floor(i / 36)]!, CUBE_LEVELS[Math.floor(i / 6) % 6]!, CUBE_LEVELS[i % 6]!),
    );
  }
  for (let i = 0; i < 24; i++) {
    const v = 8 + i * 10;
    palette.push(hex(v, v, v));
  }
  return palette;
})();

function rgb(value: number): string {
  return hex((value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
}

function fgOf(cell: XtermCellLike): string | undefined {
  if (cell.isFgRGB()) return rgb(cell.getFgColor());
  if (cell.isFgPalette()) return XTERM_256_PALETTE[cell.getFgColor()];
  return undefined;
}

function bgOf(cell: XtermCellLike): string | undefined {
  if (cell.isBgRGB()) return rgb(cell.getBgColor());
  if (cell.isBgPalette()) return XTERM_256_PALETTE[cell.getBgColor()];
  return undefined;
}

interface CellStyle {
  fg: string;
  /** undefined: the window's own background shows through. */
  bg: string | undefined;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  invisible: boolean;
}

function styleOf(cell: XtermCellLike): CellStyle {
  let fg = fgOf(cell) ?? DEFAULT_FG;
  let bg = bgOf(cell);
  if (cell.isInverse()) [fg, bg] = [bg ?? DEFAULT_BG, fg];
  return {
    fg,
    bg,
    bold: cell.isBold() !== 0,
    dim: cell.isDim() !== 0,
    italic: cell.isItalic() !== 0,
    underline: cell.isUnderline() !== 0,
    strike: cell.isStrikethrough() !== 0,
    invisible: cell.isInvisible() !== 0,
  };
}

function textKey(s: CellStyle): string {
  return [s.fg, s.bold, s.dim, s.italic, s.underline, s.strike, s.invisible].join('|');
}

/** A stretch of one row: `cells` columns wide starting at column `col`. */
interface Run<T> {
  col: number;
  cells: number;
  value: T;
}

interface TextRun extends Run<CellStyle> {
  text: string;
}

function escapeXml(text: string): string {
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

// Fixed precision so output does not depend on float noise.
function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function readRow(
  line: { getCell(x: number): XtermCellLike | undefined } | undefined,
  cols: number,
): { texts: TextRun[]; backgrounds: Run<string>[] } {
  const texts: TextRun[] = [];
  const backgrounds: Run<string>[] = [];
  if (!line) return { texts, backgrounds };
  for (let col = 0; col < cols; col++) {
    const cell = line.getCell(col);
    if (!cell) break;
    const width = cell.getWidth();
    // Width 0: the right half of a wide character, already drawn by the cell before it.
    if (width === 0) continue;
    const style = styleOf(cell);
    const chars = cell.getChars() || ' ';

    if (style.bg !== undefined) {
      const last = backgrounds.at(-1);
      if (last && last.value === style.bg && last.col + last.cells === col) last.cells += width;
      else backgrounds.push({ col, cells: width, value: style.bg });
    }

    const last = texts.at(-1);
    if (last && textKey(last.value) === textKey(style) && last.col + last.cells === col) {
      last.text += chars;
      last.cells += width;
    } else {
      texts.push({ col, cells: width, value: style, text: chars });
    }
  }
  return { texts, backgrounds };
}

function textAttributes(s: CellStyle): string {
  const attrs = [`fill="${s.fg}"`];
  if (s.bold) attrs.push('font-weight="bold"');
  if (s.italic) attrs.push('font-style="italic"');
  if (s.dim) attrs.push('opacity="0.5"');
  const decorations = [s.underline ? 'underline' : '', s.strike ? 'line-through' : ''].filter(Boolean);
  if (decorations.length > 0) attrs.push(`text-decoration="${decorations.join(' ')}"`);
  return attrs.join(' ');
}

/** Renders the visible screen of a terminal as a self-contained SVG, in a window with a title bar. */
export function terminalToSvg(term: XtermLike, o: SvgOptions = {}): string {
  const fontSize = o.fontSize ?? 14;
  const cellWidth = fontSize * 0.6;
  const lineHeight = fontSize * 1.25;
  const padding = fontSize;
  const titleBarHeight = fontSize * 2;
  const width = padding * 2 + term.cols * cellWidth;
  const height = titleBarHeight + padding * 2 + term.rows * lineHeight;
  const originY = titleBarHeight + padding;
  // Baseline sits about four fifths down the line box for common monospace fonts.
  const baseline = lineHeight * 0.78;

  const rects: string[] = [];
  const texts: string[] = [];
  const buffer = term.buffer.active;
  for (let row = 0; row < term.rows; row++) {
    const { texts: textRuns, backgrounds } = readRow(buffer.getLine(buffer.viewportY + row), term.cols);
    const y = originY + row * lineHeight;
    for (const bg of backgrounds) {
      rects.push(
        `<rect x="${num(padding + bg.col * cellWidth)}" y="${num(y)}" width="${num(bg.cells * cellWidth)}" height="${num(lineHeight)}" fill="${bg.value}"/>`,
      );
    }
    for (const run of textRuns) {
      const style = run.value;
      if (style.invisible) continue;
      // Trailing blanks draw nothing unless a line is drawn under or through them.
      const keepBlanks = style.underline || style.strike;
      const text = keepBlanks ? run.text : run.text.replace(/ +$/, '');
      if (text === '') continue;
      const cells = run.cells - (run.text.length - text.length);
      texts.push(
        `<text x="${num(padding + run.col * cellWidth)}" y="${num(y + baseline)}" textLength="${num(cells * cellWidth)}" lengthAdjust="spacingAndGlyphs" ${textAttributes(style)}>${escapeXml(text)}</text>`,
      );
    }
  }

  const dots = ['#ff5f57', '#febc2e', '#28c840']
    .map(
      (fill, i) =>
        `<circle cx="${num(padding + i * fontSize * 1.4)}" cy="${num(titleBarHeight / 2)}" r="${num(fontSize * 0.42)}" fill="${fill}"/>`,
    )
    .join('');
  const title =
    o.title === undefined
      ? ''
      : `<text x="${num(width / 2)}" y="${num(titleBarHeight / 2)}" text-anchor="middle" dominant-baseline="central" fill="${TITLE_FG}">${escapeXml(o.title)}</text>`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="${FONT_FAMILY.replace(/'/g, '&apos;')}" font-size="${num(fontSize)}" xml:space="preserve">`,
    `<rect width="${num(width)}" height="${num(height)}" rx="8" fill="${DEFAULT_BG}"/>`,
    `<path d="M0 8a8 8 0 0 1 8-8h${num(width - 16)}a8 8 0 0 1 8 8v${num(titleBarHeight - 8)}h-${num(width)}z" fill="${TITLE_BAR_BG}"/>`,
    dots,
    title,
    ...rects,
    ...texts,
    '</svg>',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
}
