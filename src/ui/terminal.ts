// Escape sequences the TUI brackets its frames with, and the NO_COLOR rule.

/** Alternate screen on, cursor hidden: written before the first frame. */
export const enterScreen = '\x1b[?1049h\x1b[?25l';
/** Alternate screen off, cursor shown: written on every exit path. */
export const leaveScreen = '\x1b[?1049l\x1b[?25h';

/** https://no-color.org: NO_COLOR set and non-empty turns every colour off. */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR;
  return noColor === undefined || noColor === '';
}
