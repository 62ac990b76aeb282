// Escape sequences the TUI brackets its frames with, and the NO_COLOR rule.

/**
 * Alternate screen on, cursor home (a terminal keeps the cursor's row when it switches), cursor
 * hidden, line wrap off (a character wider than the frame thought stays on its row instead of
 * pushing the screen up): written before the first frame, which then starts on the top row.
 */
export const enterScreen = '\x1b[?1049h\x1b[H\x1b[?25l\x1b[?7l';
/** Line wrap on, alternate screen off, cursor shown: written on every exit path. */
export const leaveScreen = '\x1b[?7h\x1b[?1049l\x1b[?25h';

/** Erases the whole (alternate) screen and homes the cursor: only when the terminal is resized. */
export const clearScreen = '\x1b[2J\x1b[H';

/** https://no-color.org: NO_COLOR set and non-empty turns every colour off. */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === '';
}
