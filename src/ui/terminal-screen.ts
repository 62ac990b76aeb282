// The terminal side of every full screen (an app's watch screen, the overview): the alternate
// screen, the frame writer Ink draws through, a clock that ticks each second, repaints on resize,
// and every exit path putting the terminal back. What is shown can change (the overview opens an
// app's screen and comes back) without leaving the alternate screen.
import { render } from 'ink';
import type { ReactElement } from 'react';
import { onExitSignals } from './exit-signals.ts';
import { frameWriter } from './frame-writer.ts';
import { clearScreen, enterScreen, leaveScreen } from './terminal.ts';

/** The streams a screen runs on. */
export interface ScreenIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Something on screen: what to draw now, and what to stop when it goes. */
export interface Shown {
  element(frame: { now: number; size: { columns: number; rows: number } }): ReactElement;
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
    const frame = () => ({
      now: Date.now(),
      size: { columns: io.stdout.columns ?? 80, rows: io.stdout.rows ?? 24 },
    });
    // CUTOVER_RENDER=full hands Ink the terminal itself, so every frame is redrawn in full: a
    // benchmark compares the bytes written both ways on the same scenario. Unset (or anything
    // else), the frame writer rewrites only the cells that changed.
    const writer = io.env.CUTOVER_RENDER === 'full' ? null : frameWriter(io.stdout);
    let instance: ReturnType<typeof render> | null = null;
    const redraw = () => {
      if (!done && instance !== null && shown !== null) instance.rerender(shown.element(frame()));
    };
    const repaint = () => {
      if (done) return;
      if (writer !== null) writer.invalidate();
      else {
        io.stdout.write(clearScreen);
        instance?.clear();
      }
      redraw();
    };
    // Ages and timers advance each second while visible; the writer sends only what changed.
    let clock: NodeJS.Timeout | null = null;
    const tick = () => {
      clock = setTimeout(tick, 1000 - (Date.now() % 1000));
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
    const offSignals = onExitSignals(finish);
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
      instance = render(shown.element(frame()), {
        stdout: writer?.stdout ?? io.stdout,
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
    // A resize repaints the whole (alternate) screen: the terminal has cropped or reflowed the
    // old frame. It runs before Ink's own resize handler and hands Ink the frame for the new size.
    io.stdout.prependListener('resize', repaint);
    clock = setTimeout(tick, 1000 - (Date.now() % 1000));
  });
}
