// The watch screen's root: keeps the view state (dialogs, focus, selection) and the one input
// handler (useScreenState → routeKey), and draws the frame watchFrame computes from them. It
// renders only what the Snapshot says.
import { useLayoutEffect, useRef, useState } from 'react';
import type { CommandReply } from '../engine/effects.ts';
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import type { UiCommand } from './commands.ts';
import { FrameLines } from './FrameLines.tsx';
import type { KeyContext } from './keymap.ts';
import { lineAnsi } from './present/ansi.ts';
import type { FailureOutput, Stale } from './present/header.ts';
import { tooSmall } from './present/layout.ts';
import type { LogsView } from './present/logs.ts';
import { watchFrame } from './present/watch-frame.ts';
import { useCommandStatus } from './use-command-status.ts';
import { useScreenState } from './use-screen-state.ts';

/** Everything the watch screen is given; it owns only view state (dialogs, focus, toggles). */
export interface WatchScreenProps {
  snapshot: Snapshot | null;
  /** The feed's error, if it broke for good. */
  error: string | null;
  /** Set while the feed is lost and reconnecting: the data on screen is that old. */
  stale?: Stale | null;
  /** What the feed did by itself (it followed the name to a new app), for the status line. */
  notice?: string | null;
  size: { columns: number; rows: number };
  now: number;
  /** False under NO_COLOR: nothing is styled at all. */
  color: boolean;
  deployDir: string | null;
  capabilities: Provider['capabilities'];
  onCommand: (command: UiCommand) => Promise<CommandReply>;
  onQuit: () => void;
  /** The output of the container whose logs pane is open, as far as it has arrived. */
  logs?: LogsView | null;
  /** Open (a container id) or close (null) a logs pane: the caller follows Provider.logs. */
  onLogs?: (container: string | null) => void;
  /** The last lines the failing container wrote, for the failure banner. */
  failureOutput?: FailureOutput | null;
  /** Why this screen may change nothing (a read-only target, --readonly); absent when it may. */
  readonly?: string | null;
  /** Opened from the overview: esc goes back to it. */
  onBack?: () => void;
  /**
   * On a terminal: where each frame's lines go (the frame writer), and Ink draws nothing. Absent
   * (the component tests), Ink draws the same lines.
   */
  draw?: (lines: string[]) => void;
}

export function WatchScreen(props: WatchScreenProps) {
  const { snapshot, size, now, color } = props;
  const { status, run, tell } = useCommandStatus(props.onCommand);
  const context: KeyContext = {
    snapshot,
    capabilities: props.capabilities,
    deployDir: props.deployDir,
    readonly: props.readonly ?? null,
    canGoBack: props.onBack !== undefined,
  };
  // The status line clears when the next key is pressed; a feed notice once it was seen.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const pressed = () => {
    tell(null);
    setDismissed(props.notice ?? null);
  };
  // A page of the containers table, from the last frame (keys arrive between renders).
  const pageRows = useRef(5);
  const state = useScreenState(
    { ...context, tooSmall: tooSmall(size.columns, size.rows), pageRows: pageRows.current },
    { run, tell, quit: props.onQuit, pressed, logs: (c) => props.onLogs?.(c), back: () => props.onBack?.() },
  );
  const notice =
    props.notice && props.notice !== dismissed ? { text: props.notice, level: 'info' as const } : null;
  const frame = watchFrame({
    snapshot,
    size,
    now,
    context,
    state,
    status: props.error !== null ? { text: props.error, level: 'error' } : (status ?? notice),
    stale: props.stale ?? null,
    logs: props.logs ?? null,
    failureOutput: props.failureOutput ?? null,
    deployDir: props.deployDir,
  });
  if (frame.tableRows > 0) pageRows.current = frame.tableRows;
  // Below the minimum size nothing is coloured: the message must read on any terminal.
  const text = frame.lines.map((line) => lineAnsi(line, color && !tooSmall(size.columns, size.rows)));
  const { draw } = props;
  useLayoutEffect(() => draw?.(text));
  return draw === undefined ? <FrameLines lines={text} width={size.columns} /> : null;
}
