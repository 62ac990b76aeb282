// The overview of every app on every configured target, live. Its keys go through
// routeOverviewKey (one handler, registered once, as the watch screen's); what it shows is
// overviewFrame's lines.
import { useInput } from 'ink';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { FrameLines } from '../FrameLines.tsx';
import { splitKeys } from '../key-events.ts';
import type { KeyPress } from '../keymap.ts';
import { lineAnsi } from '../present/ansi.ts';
import { tooSmall } from '../present/layout.ts';
import type { OverviewData } from './overview-feed.ts';
import { overviewFrame } from './overview-frame.ts';
import { initialOverviewState, type OverviewState, routeOverviewKey } from './overview-keys.ts';
import type { OverviewRow } from './overview-rows.ts';

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
  /** On a terminal: where each frame's lines go (the frame writer); absent, Ink draws them. */
  draw?: (lines: string[]) => void;
}

export function OverviewScreen(props: OverviewScreenProps) {
  const { data, size, now, color } = props;
  const [state, setState] = useState<OverviewState>(props.initial ?? initialOverviewState);
  const stateRef = useRef(state);
  const frame = overviewFrame({ data, state, targets: props.targets, size, now });
  const latest = useRef({ frame, props });
  latest.current = { frame, props };

  const onInput = useCallback((input: string, key: KeyPress) => {
    for (const press of splitKeys(input, key)) {
      const { frame: shown, props: current } = latest.current;
      const outcome = routeOverviewKey(
        stateRef.current,
        press.input,
        press.key,
        shown.rows.length,
        shown.page,
      );
      stateRef.current = outcome.state;
      if (outcome.quit) {
        current.onQuit();
        return;
      }
      if (outcome.open !== undefined) {
        const row = shown.rows[outcome.open];
        current.onState?.(stateRef.current);
        if (row !== undefined) current.onOpen(row);
        return;
      }
    }
    setState(stateRef.current);
    latest.current.props.onState?.(stateRef.current);
  }, []);
  useInput(onInput);

  const text = frame.lines.map((line) => lineAnsi(line, color && !tooSmall(size.columns, size.rows)));
  const { draw } = props;
  useLayoutEffect(() => draw?.(text));
  return draw === undefined ? <FrameLines lines={text} width={size.columns} /> : null;
}
