// Boxes drawn as lines: a dialog's rounded frame (Ink's round border, one column of padding) and
// a table with a rule between rows (ink-table's look), so the screen's lines need no layout engine.
import { clipLine, type Line, lineText, seg } from './line.ts';

/** `lines` inside a rounded frame `width` wide, each cut to fit and padded to the right border. */
export function framed(lines: Line[], width: number): Line[] {
  const inner = Math.max(0, width - 4);
  const rule = '─'.repeat(Math.max(0, width - 2));
  const body = lines.map((line): Line => {
    const clipped = clipLine(line, inner);
    const pad = ' '.repeat(Math.max(0, inner - lineText(clipped).length));
    return [seg('│', 'border'), seg(' '), ...clipped, seg(`${pad} `), seg('│', 'border')];
  });
  return [[seg(`╭${rule}╮`, 'border')], ...body, [seg(`╰${rule}╯`, 'border')]];
}

/**
 * A table of `rows` under `columns` headings: each column as wide as its widest cell plus a space
 * each side, a rule above, below and between rows.
 */
export function ruledTable<K extends string>(rows: Record<K, string>[], columns: K[]): Line[] {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)) + 2);
  const rule = (left: string, cross: string, right: string): Line => [
    seg(`${left}${widths.map((w) => '─'.repeat(w)).join(cross)}${right}`, 'rule'),
  ];
  const row = (cells: string[], tone?: 'heading'): Line => {
    const line: Line = [seg('│', 'rule')];
    cells.forEach((cell, i) => {
      line.push(seg(` ${cell}${' '.repeat(widths[i]! - 1 - cell.length)}`, tone), seg('│', 'rule'));
    });
    return line;
  };
  const out: Line[] = [rule('┌', '┬', '┐'), row(columns, 'heading')];
  for (const r of rows) out.push(rule('├', '┼', '┤'), row(columns.map((c) => r[c])));
  out.push(rule('└', '┴', '┘'));
  return out;
}
