// The overview as lines: a pure function of the targets' answers and the overview's own state
// (cursor, filter, help), drawn like the watch screen's frame.
import { age } from '../present/format.ts';
import { symbols } from '../present/help.ts';
import { tooSmall } from '../present/layout.ts';
import { clipLine, type Line, seg, wrapLine } from '../present/line.ts';
import { tooSmallLines } from '../present/too-small.ts';
import type { OverviewData } from './overview-feed.ts';
import { type OverviewState, overviewKeymap } from './overview-keys.ts';
import { filterRows, type OverviewRow, overviewTableLines } from './overview-rows.ts';

/** What one frame of the overview depends on. */
export interface OverviewFrameInput {
  data: OverviewData | null;
  state: OverviewState;
  /** How many targets the overview reads. */
  targets: number;
  size: { columns: number; rows: number };
  now: number;
}

/** The frame's lines, and what the keys need to know of it: the rows listed and a page. */
export interface OverviewFrame {
  lines: Line[];
  /** The rows the filter lets through, in the order they are listed. */
  rows: OverviewRow[];
  /** Rows of the table one page holds. */
  page: number;
}

function footerLine(): Line {
  const line: Line = [];
  for (const b of overviewKeymap.filter((k) => k.inFooter)) {
    if (line.length > 0) line.push(seg('  '));
    line.push(seg(b.keys[0]!.display, 'accent'), seg(` ${b.label}`, 'dim'));
  }
  return line;
}

function helpLines(width: number): Line[] {
  const keyWidth = 14;
  const lines: Line[] = [[seg('Keys of the overview', 'accent'), seg('  (esc or ? closes)', 'dim')]];
  for (const b of overviewKeymap) {
    const keys = b.keys.map((k) => k.display).join(' / ');
    lines.push(...wrapLine([seg(keys.padEnd(keyWidth), 'accent'), seg(b.description)], width, keyWidth));
  }
  lines.push([seg('Symbols', 'accent')]);
  for (const [symbol, meaning] of symbols) lines.push([seg(`  ${symbol} `, 'accent'), seg(meaning)]);
  return lines;
}

export function overviewFrame(o: OverviewFrameInput): OverviewFrame {
  const { data, state, size, now } = o;
  const all = data?.rows ?? [];
  const rows = filterRows(all, state.filter);
  // Header, table heading, filter line, footer; the rest lists apps.
  const page = Math.max(1, size.rows - 1 - 4 - (data?.errors.length ?? 0));
  if (tooSmall(size.columns, size.rows)) return { lines: tooSmallLines(size.columns, size.rows), rows, page };
  const width = size.columns;
  const apps = all.length === 1 ? '1 app' : `${all.length} apps`;
  const updated = data?.at == null ? 'reading the targets…' : `updated ${age(data.at, now)} ago`;
  const header: Line = [
    seg('cutover', 'accent'),
    seg(` · ${apps} on ${o.targets} target${o.targets === 1 ? '' : 's'} · ${updated}`),
  ];
  const fitted = (lines: Line[]): OverviewFrame => ({
    lines: lines.map((l) => clipLine(l, width)),
    rows,
    page,
  });
  if (state.help) {
    return fitted([header, ...helpLines(width).slice(0, size.rows - 3), [seg('esc or ? closes', 'dim')]]);
  }
  const cursor = Math.min(state.cursor, Math.max(0, rows.length - 1));
  const table = overviewTableLines(rows, data?.errors ?? [], { width, rows: page, cursor, top: state.top });
  const filter: Line[] = state.editing
    ? [[seg('/ ', 'accent'), seg(state.filter), seg('█', 'dim'), seg('  enter keeps it · esc clears', 'dim')]]
    : state.filter !== ''
      ? [
          [
            seg(`filter: ${state.filter}`, 'accent'),
            seg(`  ${rows.length} of ${all.length} · esc clears`, 'dim'),
          ],
        ]
      : [];
  const empty: Line[] =
    data !== null && all.length === 0 ? [[seg('  no apps yet: cutover deploy DIR', 'dim')]] : [];
  return fitted([header, ...table, ...empty, ...filter, ...(state.editing ? [] : [footerLine()])]);
}
