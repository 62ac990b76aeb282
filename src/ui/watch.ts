// `cutover watch APP`: the live screen (tui), one line per change (plain) or NDJSON (json).
import { render } from 'ink';
import { createElement } from 'react';
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { type FeedView, followApp } from './app-feed.ts';
import { sendCommand } from './command-map.ts';
import type { UiCommand } from './commands.ts';
import { onExitSignals } from './exit-signals.ts';
import { frameWriter } from './frame-writer.ts';
import { type LogsFeed, logsFeed } from './logs-feed.ts';
import { plainLine } from './present/plain.ts';
import { snapshotKey } from './snapshot-key.ts';
import { clearScreen, colorEnabled, enterScreen, leaveScreen } from './terminal.ts';
import { WatchScreen } from './WatchScreen.tsx';

/** What the CLI hands the watch command. */
export interface WatchOptions {
  provider: Provider;
  app: string;
  deployDir: string | null;
  user: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  mode: 'tui' | 'plain' | 'json';
  /** A read-only target: every changing command is refused with the reason. */
  readonly?: boolean;
  /** Why (`target prod is read-only`); defaults to `--readonly was given`. */
  readonlyReason?: string;
  /** A snapshot the caller already has: the first frame shows it rather than a placeholder. */
  initial?: Snapshot;
}

/** Runs until quit, a signal, or (plain and json) a broken feed; resolves to the exit code. */
export function runWatch(o: WatchOptions): Promise<number> {
  return o.mode === 'tui' ? runTui(o) : runLines(o);
}

/** plain and json: a line per change, no escape codes. */
function runLines(o: WatchOptions): Promise<number> {
  return new Promise((resolve) => {
    let lastKey = '';
    let lastLine = '';
    let done = false;
    let unsubscribe: () => void = () => {};
    const finish = (code: number, error?: unknown) => {
      if (done) return;
      done = true;
      offSignals();
      unsubscribe();
      if (error !== undefined)
        o.stdout.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      resolve(code);
    };
    const offSignals = onExitSignals(finish);
    const onSnapshot = (snapshot: Snapshot) => {
      if (done) return;
      const key = snapshotKey(snapshot);
      if (key === lastKey) return;
      lastKey = key;
      if (o.mode === 'json') {
        o.stdout.write(`${JSON.stringify(snapshot)}\n`);
        return;
      }
      const line = plainLine(snapshot);
      // The time prefix alone changing is not a change.
      if (line.slice(9) === lastLine.slice(9)) return;
      lastLine = line;
      o.stdout.write(`${line}\n`);
    };
    unsubscribe = o.provider.watch(o.app, { snapshot: onSnapshot, error: (error) => finish(1, error) });
    if (done) unsubscribe();
  });
}

/** The live screen in the alternate screen buffer, restored on every exit path. */
function runTui(o: WatchOptions): Promise<number> {
  return new Promise((resolve) => {
    const color = colorEnabled(o.env);
    let feed: FeedView = { snapshot: o.initial ?? null, error: null, stale: null, notice: null };
    let done = false;
    let unsubscribe: () => void = () => {};
    let output: LogsFeed | null = null;

    const onCommand = (command: UiCommand) =>
      o.readonly
        ? Promise.reject(new Error('read-only: this target refuses changes'))
        : sendCommand(o.provider, o.app, o.user, o.deployDir, command);
    const element = () =>
      createElement(WatchScreen, {
        snapshot: feed.snapshot,
        error: feed.error,
        stale: feed.stale,
        notice: feed.notice,
        size: { columns: o.stdout.columns ?? 80, rows: o.stdout.rows ?? 24 },
        now: Date.now(),
        color,
        deployDir: o.deployDir,
        capabilities: o.provider.capabilities,
        onCommand,
        onQuit: () => finish(0),
        logs: output?.pane ?? null,
        onLogs: (container: string | null) => output?.open(container),
        failureOutput: output?.failure ?? null,
        readonly: o.readonly ? (o.readonlyReason ?? '--readonly was given') : null,
      });

    // CUTOVER_RENDER=full hands Ink the terminal itself, so every frame is redrawn in full: a
    // benchmark compares the bytes written both ways on the same scenario. Unset (or anything
    // else), the frame writer rewrites only the cells that changed.
    const writer = o.env.CUTOVER_RENDER === 'full' ? null : frameWriter(o.stdout);
    o.stdout.write(enterScreen);
    const instance = render(element(), {
      stdout: writer?.stdout ?? o.stdout,
      stdin: o.stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      incrementalRendering: false,
      maxFps: 10,
    });
    const redraw = () => {
      if (!done) instance.rerender(element());
    };

    // Ages, the BUILDING timer and the age of stale data advance each second while visible; the
    // frame writer sends only the cells that changed. Aligned to the clock's seconds.
    let clock: NodeJS.Timeout | null = null;
    const tick = () => {
      clock = setTimeout(tick, 1000 - (Date.now() % 1000));
      redraw();
    };
    clock = setTimeout(tick, 1000 - (Date.now() % 1000));

    function finish(code: number, failure?: unknown): void {
      if (done) return;
      done = true;
      if (clock !== null) clearTimeout(clock);
      output?.close();
      offSignals();
      o.stdout.off('resize', repaint);
      unsubscribe();
      try {
        instance.unmount();
      } finally {
        // Quitting never changes the app: only the terminal is put back.
        o.stdout.write(leaveScreen);
        if (failure !== undefined) {
          o.stdout.write(`error: ${failure instanceof Error ? failure.message : String(failure)}\n`);
        }
        resolve(code);
      }
    }
    const offSignals = onExitSignals(finish);
    // A resize repaints the whole (alternate) screen: the terminal has cropped or reflowed the old
    // frame. It runs before Ink's own resize handler and hands Ink the frame for the new size.
    const repaint = () => {
      if (done) return;
      if (writer !== null) writer.invalidate();
      else {
        o.stdout.write(clearScreen);
        instance.clear();
      }
      redraw();
    };
    o.stdout.prependListener('resize', repaint);

    try {
      output = logsFeed(o.provider, o.app, redraw);
      output.snapshot(feed.snapshot);
      const following = followApp(o.provider, o.app, feed.snapshot, (view) => {
        feed = { ...view };
        output?.snapshot(feed.snapshot);
        redraw();
      });
      unsubscribe = following.stop;
      if (done) unsubscribe();
    } catch (failure) {
      finish(1, failure);
    }
  });
}
