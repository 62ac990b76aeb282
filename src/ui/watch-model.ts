// The watch screen without a UI library (Bubble Tea's model): its view state, the keys that
// change it (routeKey), the commands they send and the status line that reports them, and the
// frame of lines for what the screen is shown. The terminal draws `frame` whenever the feed,
// the clock or the model itself changes; Ink only hands it the keys. WatchScreen.tsx wraps the
// same model for the component tests.
import type { CommandReply } from '../engine/effects.ts';
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import type { UiCommand } from './commands.ts';
import { splitKeys } from './key-events.ts';
import type { KeyContext, KeyPress } from './keymap.ts';
import { lineAnsi } from './present/ansi.ts';
import { FrameMemo } from './present/frame-memo.ts';
import type { FailureOutput, Stale } from './present/header.ts';
import { tooSmall } from './present/layout.ts';
import type { Line } from './present/line.ts';
import type { LogsView } from './present/logs.ts';
import { pendingText, replyText } from './present/reply.ts';
import { type StatusText, watchFrame } from './present/watch-frame.ts';
import { initialScreenState, routeKey, type ScreenState } from './route-key.ts';

/** What the screen is shown at one moment: the feed's data, the time and the terminal's size. */
export interface WatchView {
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
  /** The output of the container whose logs pane is open, as far as it has arrived. */
  logs?: LogsView | null;
  /** The last lines the failing container wrote, for the failure banner. */
  failureOutput?: FailureOutput | null;
}

/** What the screen may do, fixed for its life. */
export interface WatchModelOptions {
  capabilities: Provider['capabilities'];
  deployDir: string | null;
  /** Where the provider points (`prod-eu/shop`), shown in the header; '' or absent for local. */
  target?: string;
  /** Why this screen may change nothing (a read-only target, --readonly); null when it may. */
  readonly: string | null;
  /** Opened from the overview: esc goes back to it. */
  canGoBack: boolean;
  onCommand: (command: UiCommand) => Promise<CommandReply>;
  onQuit: () => void;
  /** Open (a container id) or close (null) a logs pane: the caller follows Provider.logs. */
  onLogs: (container: string | null) => void;
  onBack: () => void;
  /** The model's own state changed (a key, a command's reply): draw it again. */
  changed: () => void;
}

export interface WatchModel {
  /** Routes what Ink read from the keyboard, key by key. */
  key(input: string, key: KeyPress): void;
  /** The frame's lines for `view` (text with colour codes unless NO_COLOR). */
  frame(view: WatchView): string[];
  /** Nothing more is drawn: late replies are dropped. */
  stop(): void;
}

export function watchModel(o: WatchModelOptions): WatchModel {
  let state: ScreenState = initialScreenState;
  let status: StatusText | null = null;
  // The status line clears when the next key is pressed; a feed notice once it was seen.
  let dismissed: string | null = null;
  let stopped = false;
  // The last frame's view and its page of the containers table: keys act on what is shown.
  let shown: WatchView | null = null;
  let pageRows = 5;
  // A panel whose lines are the same objects as last frame's keeps its text too.
  const memo = new FrameMemo();
  const texts = { plain: new WeakMap<Line, string>(), color: new WeakMap<Line, string>() };
  const text = (line: Line, color: boolean) => {
    const known = texts[color ? 'color' : 'plain'];
    let value = known.get(line);
    if (value === undefined) {
      value = lineAnsi(line, color);
      known.set(line, value);
    }
    return value;
  };

  const contextOf = (snapshot: Snapshot | null): KeyContext => ({
    snapshot,
    capabilities: o.capabilities,
    deployDir: o.deployDir,
    readonly: o.readonly,
    canGoBack: o.canGoBack,
  });
  const tell = (next: StatusText | null) => {
    status = next;
  };
  const run = (command: UiCommand) => {
    tell({ text: pendingText(command), level: 'info' });
    o.onCommand(command).then(
      (reply) => report({ text: replyText(reply, command), level: reply.ok ? 'info' : 'error' }),
      (error: unknown) =>
        report({ text: error instanceof Error ? error.message : String(error), level: 'error' }),
    );
  };
  const report = (next: StatusText) => {
    if (stopped) return;
    tell(next);
    o.changed();
  };

  return {
    key(input, key) {
      const view = shown;
      const size = view?.size ?? { columns: 80, rows: 24 };
      const context = {
        ...contextOf(view?.snapshot ?? null),
        tooSmall: tooSmall(size.columns, size.rows),
        pageRows,
      };
      for (const press of splitKeys(input, key)) {
        tell(null);
        dismissed = view?.notice ?? null;
        const outcome = routeKey(state, press.input, press.key, context);
        state = outcome.state;
        if (outcome.notice !== undefined) tell(outcome.notice);
        if (outcome.command !== undefined) run(outcome.command);
        if (outcome.logs !== undefined) o.onLogs(outcome.logs);
        if (outcome.back === true) return o.onBack();
        if (outcome.quit === true) return o.onQuit();
      }
      o.changed();
    },
    frame(view) {
      shown = view;
      const notice =
        view.notice && view.notice !== dismissed ? { text: view.notice, level: 'info' as const } : null;
      const frame = watchFrame({
        snapshot: view.snapshot,
        size: view.size,
        now: view.now,
        context: contextOf(view.snapshot),
        state,
        status: view.error !== null ? { text: view.error, level: 'error' } : (status ?? notice),
        stale: view.stale ?? null,
        logs: view.logs ?? null,
        failureOutput: view.failureOutput ?? null,
        deployDir: o.deployDir,
        target: o.target ?? '',
        memo,
      });
      if (frame.tableRows > 0) pageRows = frame.tableRows;
      // Below the minimum size nothing is coloured: the message must read on any terminal.
      const color = view.color && !tooSmall(view.size.columns, view.size.rows);
      return frame.lines.map((line) => text(line, color));
    },
    stop() {
      stopped = true;
    },
  };
}
