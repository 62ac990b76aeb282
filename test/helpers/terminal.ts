// A real program in a real pseudo-terminal (node-pty), every byte it writes fed to a headless
// terminal emulator (@xterm/headless), so tests read the screen a person would see.
// (Ink's own test/helpers/run.ts; gemini-cli's xterm-headless tests.)
import type { Terminal as Xterm } from '@xterm/headless';
import xtermHeadless from '@xterm/headless';
import pty from 'node-pty';

/** A program running in a pseudo-terminal, with the screen a person would see. */
export interface Terminal {
  /** The visible screen as text: rows right-trimmed, joined by \n, trailing blank rows dropped. */
  screen(): string;
  /** One visible row (0 is the top of the screen), right-trimmed. */
  line(row: number): string;
  /** Polls the screen until it matches; on timeout (or if the program exits first) throws with the screen. */
  waitFor(match: string | RegExp, o?: { timeoutMs?: number }): Promise<void>;
  /** Resolves once every byte received so far has been parsed by the emulator. */
  flush(): Promise<void>;
  /** Raw keys, as a person would type them: '\r', '\x1b', '\x03', 'r'. */
  write(data: string): void;
  /** Resizes both the emulator and the pty (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void;
  /** Every byte the program has written so far (for counting escape sequences). */
  readonly output: string;
  /** The DECTCEM state the program left: the last of \x1b[?25l / \x1b[?25h in output wins. */
  cursorVisible(): boolean;
  /** Whether the alternate screen buffer is active. */
  altScreen(): boolean;
  /** Resolves when the program has exited and all its output has been parsed. */
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  kill(signal?: string): void;
  /** The emulator itself, e.g. for terminalToSvg. */
  readonly xterm: Xterm;
  /** Kills the program if it still runs and frees the emulator. Safe to call twice. */
  dispose(): void;
}

/** What to run and how big the terminal is. */
export interface SpawnTerminalOptions {
  file: string;
  args: string[];
  cols?: number;
  rows?: number;
  /** Added on top of the cleaned environment; wins over it. */
  env?: Record<string, string>;
  cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

// Variables that would make the program under test behave unlike it does for a person at a
// terminal: colour overrides, and CI flags (Ink renders only the last frame when it sees CI).
const STRIPPED_ENV = [
  'COLORTERM',
  'FORCE_COLOR',
  'NO_COLOR',
  'CI',
  'CONTINUOUS_INTEGRATION',
  'TMUX',
  'TERM_PROGRAM',
];

function terminalEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || STRIPPED_ENV.includes(key) || key.startsWith('CI_')) continue;
    env[key] = value;
  }
  env.TERM = 'xterm-256color';
  return { ...env, ...extra };
}

// DECSET/DECRST with any parameter list, e.g. \x1b[?25l or \x1b[?1049;25h.
const DEC_PRIVATE_MODE = /\x1b\[\?([\d;]+)([hl])/g;

function lastCursorVisibility(output: string): boolean {
  let visible = true;
  for (const m of output.matchAll(DEC_PRIVATE_MODE)) {
    if (m[1]!.split(';').includes('25')) visible = m[2] === 'h';
  }
  return visible;
}

function describeMatch(match: string | RegExp): string {
  return typeof match === 'string' ? JSON.stringify(match) : String(match);
}

/** Starts `file args` in a pseudo-terminal (TERM=xterm-256color, 80×24 unless told). */
export function spawnTerminal(o: SpawnTerminalOptions): Terminal {
  const cols = o.cols ?? 80;
  const rows = o.rows ?? 24;
  // allowProposedApi: buffer access (buffer.active, getLine, getCell) is a proposed API in xterm.
  const xterm = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const proc = pty.spawn(o.file, o.args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: o.cwd ?? process.cwd(),
    env: terminalEnv(o.env),
  });

  let output = '';
  let disposed = false;
  let hasExited = false;
  // xterm.write parses asynchronously; the last write's callback fires after all earlier ones.
  let lastWrite: Promise<void> = Promise.resolve();
  let releaseWrites: () => void = () => {};
  const disposedSignal = new Promise<void>((resolve) => {
    releaseWrites = resolve;
  });

  const onData = proc.onData((data) => {
    output += data;
    if (disposed) return;
    lastWrite = new Promise<void>((resolve) => xterm.write(data, resolve));
  });
  // A real terminal answers queries (cursor position, device attributes) on the program's stdin.
  const onReply = xterm.onData((data) => {
    if (!hasExited && !disposed) proc.write(data);
  });

  const flush = async (): Promise<void> => {
    let awaited: Promise<void> | undefined;
    while (!disposed && awaited !== lastWrite) {
      awaited = lastWrite;
      await Promise.race([awaited, disposedSignal]);
    }
  };

  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => {
    // node-pty reports exit only after the pty's output stream has closed, so all data is in.
    proc.onExit(({ exitCode, signal }) => {
      hasExited = true;
      void flush().then(() => resolve(signal ? { exitCode, signal } : { exitCode }));
    });
  });

  const line = (row: number): string => {
    const buffer = xterm.buffer.active;
    return buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '';
  };

  const screen = (): string => {
    const lines: string[] = [];
    for (let row = 0; row < xterm.rows; row++) lines.push(line(row));
    return lines.join('\n').trimEnd();
  };

  const waitFor = async (match: string | RegExp, opts?: { timeoutMs?: number }): Promise<void> => {
    const timeoutMs = opts?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const matches = (): boolean => {
      const text = screen();
      return typeof match === 'string' ? text.includes(match) : match.test(text);
    };
    for (;;) {
      const exitedBefore = hasExited;
      await flush();
      if (matches()) return;
      if (disposed) throw new Error(`waitFor(${describeMatch(match)}): terminal was disposed`);
      if (exitedBefore) {
        throw new Error(`waitFor(${describeMatch(match)}): program exited first; screen:\n${screen()}`);
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `waitFor(${describeMatch(match)}) timed out after ${timeoutMs}ms; screen:\n${screen()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  return {
    screen,
    line,
    waitFor,
    flush,
    write(data) {
      proc.write(data);
    },
    resize(newCols, newRows) {
      xterm.resize(newCols, newRows);
      if (!hasExited) proc.resize(newCols, newRows);
    },
    get output() {
      return output;
    },
    cursorVisible: () => lastCursorVisibility(output),
    altScreen: () => xterm.buffer.active.type === 'alternate',
    exited,
    kill(signal) {
      if (!hasExited) proc.kill(signal);
    },
    xterm,
    dispose() {
      if (disposed) return;
      if (!hasExited) {
        try {
          proc.kill('SIGKILL');
        } catch {
          // Already gone between the check and the kill.
        }
      }
      disposed = true;
      releaseWrites();
      onData.dispose();
      onReply.dispose();
      xterm.dispose();
    },
  };
}
