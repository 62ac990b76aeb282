// One app's watch screen on the terminal: its feed (snapshots, a lost connection, a name that is
// deployed again), its logs pane and failure output, and the commands its keys send.
import { createElement } from 'react';
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { type FeedView, followApp } from './app-feed.ts';
import { sendCommand } from './command-map.ts';
import type { UiCommand } from './commands.ts';
import { logsFeed } from './logs-feed.ts';
import type { ScreenControl, Shown } from './terminal-screen.ts';
import { WatchScreen } from './WatchScreen.tsx';

/** What an app's screen needs. */
export interface AppScreenOptions {
  provider: Provider;
  app: string;
  deployDir: string | null;
  user: string;
  color: boolean;
  /** Why nothing may be changed here, or null. */
  readonly: string | null;
  initial?: Snapshot;
  /** Opened from the overview: esc goes back to it. */
  onBack?: () => void;
}

export function appScreen(o: AppScreenOptions, control: ScreenControl): Shown {
  let feed: FeedView = { snapshot: o.initial ?? null, error: null, stale: null, notice: null };
  const output = logsFeed(o.provider, o.app, control.redraw);
  output.snapshot(feed.snapshot);
  const following = followApp(o.provider, o.app, feed.snapshot, (view) => {
    feed = { ...view };
    output.snapshot(feed.snapshot);
    control.redraw();
  });
  const onCommand = (command: UiCommand) =>
    o.readonly !== null
      ? Promise.reject(new Error(`read-only: ${o.readonly}`))
      : sendCommand(o.provider, o.app, o.user, o.deployDir, command);
  return {
    element: ({ now, size, draw }) =>
      createElement(WatchScreen, {
        snapshot: feed.snapshot,
        error: feed.error,
        stale: feed.stale,
        notice: feed.notice,
        size,
        now,
        color: o.color,
        deployDir: o.deployDir,
        capabilities: o.provider.capabilities,
        onCommand,
        onQuit: () => control.finish(0),
        logs: output.pane,
        onLogs: (container: string | null) => output.open(container),
        failureOutput: output.failure,
        readonly: o.readonly,
        draw,
        ...(o.onBack === undefined ? {} : { onBack: o.onBack }),
      }),
    stop() {
      following.stop();
      output.close();
    },
  };
}
