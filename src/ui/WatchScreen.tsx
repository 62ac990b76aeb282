// The watch screen as an Ink component: the watch model (its state, keys and frame) with Ink
// reading the keys and drawing the frame's lines. The component tests render it; a terminal runs
// the same model through the frame writer (app-screen.ts), without a render per frame.
import { useInput } from 'ink';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { CommandReply } from '../engine/effects.ts';
import type { Provider } from '../engine/provider.ts';
import type { UiCommand } from './commands.ts';
import { FrameLines } from './FrameLines.tsx';
import type { KeyPress } from './keymap.ts';
import { type WatchModel, type WatchView, watchModel } from './watch-model.ts';

/** Everything the watch screen is given; it owns only view state (dialogs, focus, toggles). */
export interface WatchScreenProps extends WatchView {
  deployDir: string | null;
  capabilities: Provider['capabilities'];
  onCommand: (command: UiCommand) => Promise<CommandReply>;
  onQuit: () => void;
  /** Open (a container id) or close (null) a logs pane: the caller follows Provider.logs. */
  onLogs?: (container: string | null) => void;
  /** Why this screen may change nothing (a read-only target, --readonly); absent when it may. */
  readonly?: string | null;
  /** Opened from the overview: esc goes back to it. */
  onBack?: () => void;
}

export function WatchScreen(props: WatchScreenProps) {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  // The latest props, read when a key or a reply arrives (the model is made once).
  const latest = useRef(props);
  latest.current = props;
  const model = useRef<WatchModel | null>(null);
  model.current ??= watchModel({
    capabilities: props.capabilities,
    deployDir: props.deployDir,
    readonly: props.readonly ?? null,
    canGoBack: props.onBack !== undefined,
    onCommand: (command) => latest.current.onCommand(command),
    onQuit: () => latest.current.onQuit(),
    onLogs: (container) => latest.current.onLogs?.(container),
    onBack: () => latest.current.onBack?.(),
    changed,
  });
  useEffect(() => () => model.current?.stop(), []);
  // One handler for the component's life: Ink subscribes a new one only after a render, and a
  // key typed before that (`r` then `y`, typed fast or pasted) would be missed.
  const onInput = useCallback((input: string, key: KeyPress) => model.current?.key(input, key), []);
  useInput(onInput);
  return <FrameLines lines={model.current.frame(props)} width={props.size.columns} />;
}
