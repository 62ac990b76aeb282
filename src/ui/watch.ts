// `cutover watch APP`: the live screen (tui), one line per change (plain) or NDJSON (json).
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { appScreen } from './app-screen.ts';
import { onExitSignals } from './exit-signals.ts';
import { plainLine } from './present/plain.ts';
import { snapshotKey } from './snapshot-key.ts';
import { colorEnabled } from './terminal.ts';
import { runScreen } from './terminal-screen.ts';

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
  return runScreen(o, (control) =>
    appScreen(
      {
        provider: o.provider,
        app: o.app,
        deployDir: o.deployDir,
        user: o.user,
        color: colorEnabled(o.env),
        readonly: o.readonly ? (o.readonlyReason ?? '--readonly was given') : null,
        ...(o.initial === undefined ? {} : { initial: o.initial }),
      },
      control,
    ),
  );
}
