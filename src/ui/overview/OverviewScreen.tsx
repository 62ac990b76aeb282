// The overview as an Ink component: the overview model with Ink reading the keys and drawing the
// frame's lines. The component tests render it; a terminal runs the same model through the frame
// writer (run-overview.ts).
import { useInput } from 'ink';
import { useCallback, useReducer, useRef } from 'react';
import { FrameLines } from '../FrameLines.tsx';
import type { KeyPress } from '../keymap.ts';
import type { OverviewState } from './overview-keys.ts';
import { type OverviewModel, type OverviewView, overviewModel } from './overview-model.ts';
import type { OverviewRow } from './overview-rows.ts';

export interface OverviewScreenProps extends OverviewView {
  onOpen: (row: OverviewRow) => void;
  onQuit: () => void;
  /** Where the cursor and filter were, when the overview comes back from an app's screen. */
  initial?: OverviewState;
  onState?: (state: OverviewState) => void;
}

export function OverviewScreen(props: OverviewScreenProps) {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  const latest = useRef(props);
  latest.current = props;
  const model = useRef<OverviewModel | null>(null);
  model.current ??= overviewModel({
    ...(props.initial === undefined ? {} : { initial: props.initial }),
    onOpen: (row) => latest.current.onOpen(row),
    onQuit: () => latest.current.onQuit(),
    onState: (state) => latest.current.onState?.(state),
    changed,
  });
  // One handler for the component's life (see WatchScreen).
  const onInput = useCallback((input: string, key: KeyPress) => model.current?.key(input, key), []);
  useInput(onInput);
  return <FrameLines lines={model.current.frame(props)} width={props.size.columns} />;
}
