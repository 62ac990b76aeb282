// The terminal side of every full screen (an app's watch screen, the overview): the alternate
// screen, the frame writer each frame's lines go to (Ink only reads the keys and runs the
// screen's state), a clock that ticks each second, repaints on resize, and every exit path
// putting the terminal back. What is shown can change (the overview opens an
// app's screen and comes back) without leaving the alternate screen.
import { render } from 'ink';
import { createElement } from 'react';
import { onExitSignals } from './exit-signals.ts';
import { frameWriter } from './frame-writer.ts';
import { KeyReader } from './KeyReader.tsx';
import type { KeyPress } from './keymap.ts';
import { enterScreen, leaveScreen } from './terminal.ts';

/** A second between the clock's frames. */
const TICK_MS = 1000;
/** How much later than a second the clock ticks after a frame drawn for new data. */
const DATA_SLACK_MS = 250;

/** The streams a screen runs on. */
export interface ScreenIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** What a frame is drawn for: the time and the terminal's size. */
export interface FrameContext {
  now: number;
  size: { columns: number; rows: number };
}

/** Something on screen: its frame now, what it does with a key, and what to stop when it goes. */
export interface Shown {
  /** The frame's lines (text with colour codes). */
  lines(frame: FrameContext): string[];
  key(input: string, key: KeyPress): void;
  stop(): void;
}

/** What a shown thing may do to the screen. */
export interface ScreenControl {
  redraw(): void;
  /** Replaces what is shown (the old one is stopped) and repaints the whole screen. */
  show(next: Shown): void;
  /** Leaves the screen with an exit code (and an error to print after it). */
  finish(code: number, failure?: unknown): void;
}

/** Runs until finished, a signal or an uncaught error; resolves to the exit code. */
export function runScreen(io: ScreenIO, first: (control: ScreenControl) => Shown): Promise<number> {
  return new Promise((resolve) => {
    let done = false;
    let shown: Shown | null = null;
    // CUTOVER_RENDER=full writes every changed frame whole: a benchmark compares the bytes
    // written both ways on the same scenario. Unset (or anything else), the frame writer writes
    // only the cells that changed.
    const writer = frameWriter(io.stdout, { full: io.env.CUTOVER_RENDER === 'full' });
    const frame = (): FrameContext => ({
      now: Date.now(),
      size: { columns: io.stdout.columns ?? 80, rows: io.stdout.rows ?? 24 },
    });
    let instance: ReturnType<typeof render> | null = null;
    // Ages and timers advance each second while visible; the writer sends only what changed. The
    // clock ticks a second after its own frame, and a little more than a second after a frame
    // drawn for new data: a feed that sends about once a second (the local daemon while it
    // samples metrics) then draws every frame itself, rather than the clock drawing one just
    // before each of its frames.
    let clock: NodeJS.Timeout | null = null;
    const tickAfter = (ms: number) => {
      if (clock !== null) clearTimeout(clock);
      clock = setTimeout(() => draw(TICK_MS), ms);
    };
    const draw = (nextTickMs: number) => {
      if (done || shown === null) return;
      tickAfter(nextTickMs);
      writer.draw(shown.lines(frame()));
    };
    const redraw = () => draw(TICK_MS + DATA_SLACK_MS);
    const repaint = () => {
      if (done) return;
      writer.invalidate();
      redraw();
    };

    function finish(code: number, failure?: unknown): void {
      if (done) return;
      done = true;
      if (clock !== null) clearTimeout(clock);
      offSignals();
      io.stdout.off('resize', repaint);
      shown?.stop();
      try {
        instance?.unmount();
      } finally {
        // Quitting never changes an app: only the terminal is put back.
        io.stdout.write(leaveScreen);
        if (failure !== undefined) {
          io.stdout.write(`error: ${failure instanceof Error ? failure.message : String(failure)}\n`);
        }
        resolve(code);
      }
    }
    // Listened to once Ink is rendering, after Ink's own exit hook (signal-exit): that hook kills
    // the process with the signal when it finds itself the last listener, which it would be once
    // this one had unmounted Ink, before the code below could resolve.
    let offSignals: () => void = () => undefined;
    const control: ScreenControl = {
      redraw,
      show(next) {
        if (done) return next.stop();
        shown?.stop();
        shown = next;
        repaint();
      },
      finish,
    };

    io.stdout.write(enterScreen);
    try {
      shown = first(control);
      if (done) return;
      redraw();
      // Ink reads the keys: one reader for the screen's life, whatever is shown.
      const onKey = (input: string, key: KeyPress) => shown?.key(input, key);
      instance = render(createElement(KeyReader, { onKey }), {
        stdout: writer.stdout,
        stdin: io.stdin,
        exitOnCtrlC: false,
        patchConsole: false,
        incrementalRendering: false,
        maxFps: 10,
      });
    } catch (failure) {
      finish(1, failure);
      return;
    }
    offSignals = onExitSignals(finish);
    // A resize repaints the whole (alternate) screen: the terminal has cropped or reflowed the
    // old frame; the frame is drawn again for the new size.
    io.stdout.prependListener('resize', repaint);
  });
}
