// A program's output played into a fresh terminal emulator frame by frame (each bracketed by
// synchronized-output marks): what the screen read after every frame, and which rows each frame
// moved to. A test can then say what was on screen at some moment, not only at the end.
import xtermHeadless from '@xterm/headless';

/** One frame: its bytes, the screen before and after it, the rows it wrote to. */
export interface ReplayedFrame {
  chunk: string;
  before: string[];
  after: string[];
  /** Rows (0 at the top) the frame positioned the cursor on, absolutely or not. */
  written: number[];
}

/** Plays `output` (written in `chunks`, or as one string) into a cols × rows emulator. */
export async function replayFrames(
  output: string | string[],
  cols: number,
  rows: number,
): Promise<ReplayedFrame[]> {
  const xterm = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  const screen = () =>
    Array.from({ length: rows }, (_, r) => xterm.buffer.active.getLine(r)?.translateToString(true) ?? '');
  const write = (data: string) => new Promise<void>((resolve) => xterm.write(data, resolve));
  // Split on the frames' opening marks, so each frame is played on its own.
  const chunks = typeof output === 'string' ? output.split(/(?=\x1b\[\?2026h)/) : output;
  const frames: ReplayedFrame[] = [];
  for (const chunk of chunks) {
    const before = screen();
    if (!chunk.startsWith('\x1b[?2026h')) {
      await write(chunk);
      continue;
    }
    // The rows the cursor visits, read between the frame's sequences.
    const written = new Set<number>();
    const parts = chunk.split(/(?=\x1b\[[\d;]*[HABCDGK])/);
    for (const [i, part] of parts.entries()) {
      await write(part);
      // Not the frame's opening mark alone: the cursor is still where the last frame left it.
      if (i > 0 || part !== '\x1b[?2026h') written.add(xterm.buffer.active.cursorY);
    }
    frames.push({ chunk, before, after: screen(), written: [...written].sort((a, b) => a - b) });
  }
  xterm.dispose();
  return frames;
}
