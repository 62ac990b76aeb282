// The overview of every app on every configured target, live. Its keys go through
// routeOverviewKey (one handler, registered once, as the watch screen's).
import { Box, useInput } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { Lines } from '../components/Lines.tsx';
import { LineText } from '../components/LineText.tsx';
import { TooSmall } from '../components/TooSmall.tsx';
import { splitKeys } from '../key-events.ts';
import type { KeyPress } from '../keymap.ts';
import { age } from '../present/format.ts';
import { symbols } from '../present/help.ts';
import { tooSmall } from '../present/layout.ts';
import { clipLine, type Line, seg, wrapLine } from '../present/line.ts';
import type { OverviewData } from './overview-feed.ts';
import {
  initialOverviewState,
  type OverviewState,
  overviewKeymap,
  routeOverviewKey,
} from './overview-keys.ts';
import { filterRows, type OverviewRow, overviewTableLines } from './overview-rows.ts';

export interface OverviewScreenProps {
  data: OverviewData | null;
  /** How many targets the overview reads. */
  targets: number;
  size: { columns: number; rows: number };
  now: number;
  color: boolean;
  onOpen: (row: OverviewRow) => void;
  onQuit: () => void;
  /** Where the cursor and filter were, when the overview comes back from an app's screen. */
  initial?: OverviewState;
  onState?: (state: OverviewState) => void;
}

function footerLine(width: number): Line {
  const line: Line = [];
  for (const b of overviewKeymap.filter((k) => k.inFooter)) {
    if (line.length > 0) line.push(seg('  '));
    line.push(seg(b.keys[0]!.display, 'accent'), seg(` ${b.label}`, 'dim'));
  }
  return clipLine(line, width);
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

export function OverviewScreen(props: OverviewScreenProps) {
  const { data, size, now, color } = props;
  const [state, setState] = useState<OverviewState>(props.initial ?? initialOverviewState);
  const stateRef = useRef(state);
  const all = data?.rows ?? [];
  const rows = filterRows(all, state.filter);
  const small = tooSmall(size.columns, size.rows);
  const errorLines = data?.errors.length ?? 0;
  // Header, table heading, filter line, footer; the rest lists apps.
  const page = Math.max(1, size.rows - 1 - 4 - errorLines);
  const latest = useRef({ rows, page, props });
  latest.current = { rows, page, props };

  const onInput = useCallback((input: string, key: KeyPress) => {
    for (const press of splitKeys(input, key)) {
      const { rows: now, page: p, props: current } = latest.current;
      const outcome = routeOverviewKey(stateRef.current, press.input, press.key, now.length, p);
      stateRef.current = outcome.state;
      if (outcome.quit) {
        current.onQuit();
        return;
      }
      if (outcome.open !== undefined) {
        const row = now[outcome.open];
        current.onState?.(stateRef.current);
        if (row !== undefined) current.onOpen(row);
        return;
      }
    }
    setState(stateRef.current);
    latest.current.props.onState?.(stateRef.current);
  }, []);
  useInput(onInput);

  if (small) return <TooSmall columns={size.columns} rows={size.rows} />;
  const width = size.columns;
  const apps = all.length === 1 ? '1 app' : `${all.length} apps`;
  const updated = data?.at == null ? 'reading the targets…' : `updated ${age(data.at, now)} ago`;
  const header: Line = [
    seg('cutover', 'accent'),
    seg(` · ${apps} on ${props.targets} target${props.targets === 1 ? '' : 's'} · ${updated}`),
  ];
  if (state.help) {
    return (
      <Box flexDirection="column" width={width}>
        <LineText line={clipLine(header, width)} color={color} />
        <Lines lines={helpLines(width).slice(0, size.rows - 3)} color={color} />
        <LineText line={[seg('esc or ? closes', 'dim')]} color={color} />
      </Box>
    );
  }
  const cursor = Math.min(state.cursor, Math.max(0, rows.length - 1));
  const table = overviewTableLines(rows, data?.errors ?? [], { width, rows: page, cursor, top: state.top });
  const filter: Line = state.editing
    ? [seg('/ ', 'accent'), seg(state.filter), seg('█', 'dim'), seg('  enter keeps it · esc clears', 'dim')]
    : state.filter !== ''
      ? [
          seg(`filter: ${state.filter}`, 'accent'),
          seg(`  ${rows.length} of ${all.length} · esc clears`, 'dim'),
        ]
      : [];
  const empty: Line[] =
    data !== null && all.length === 0 ? [[seg('  no apps yet: cutover deploy DIR', 'dim')]] : [];
  return (
    <Box flexDirection="column" width={width}>
      <LineText line={clipLine(header, width)} color={color} />
      <Lines lines={[...table, ...empty]} color={color} />
      {filter.length > 0 ? <LineText line={clipLine(filter, width)} color={color} /> : null}
      {state.editing ? null : <LineText line={footerLine(width)} color={color} />}
    </Box>
  );
}
