// One app's watch screen on the terminal: its feed (snapshots, a lost connection, a name that is
// deployed again), its logs pane and failure output, the commands its keys send, and the watch
// model that turns all of it into frames.
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { type FeedView, followApp } from './app-feed.ts';
import { sendCommand } from './command-map.ts';
import { logsFeed } from './logs-feed.ts';
import type { ScreenControl, Shown } from './terminal-screen.ts';
import { watchModel } from './watch-model.ts';

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
  const model = watchModel({
    capabilities: o.provider.capabilities,
    target: o.provider.target,
    deployDir: o.deployDir,
    readonly: o.readonly,
    canGoBack: o.onBack !== undefined,
    onCommand: (command) =>
      o.readonly !== null
        ? Promise.reject(new Error(`read-only: ${o.readonly}`))
        : sendCommand(o.provider, o.app, o.user, o.deployDir, command),
    onQuit: () => control.finish(0),
    onLogs: (container) => output.open(container),
    onBack: () => o.onBack?.(),
    changed: control.redraw,
  });
  return {
    lines: ({ now, size }) =>
      model.frame({
        ...feed,
        size,
        now,
        color: o.color,
        logs: output.pane,
        failureOutput: output.failure,
      }),
    key: model.key,
    stop() {
      model.stop();
      following.stop();
      output.close();
    },
  };
}
