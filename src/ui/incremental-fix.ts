// Ink 6.8's incremental renderer moves the cursor up one row too few before redrawing a frame
// that is shorter than the terminal: a frame ends with a newline, so the cursor sits on the row
// below it, yet Ink goes up `lines - 1` rows (right only for full-height frames, which have no
// trailing newline). Each redraw then starts one row lower and the screen scrolls into a mess.
// The screen's frames are always shorter than the terminal (layout.ts keeps them at rows - 1,
// because Ink clears the whole terminal before every full-height frame), so the watch screen
// hands Ink a stdout that corrects that one cursor movement.

// A redraw starts with the cursor-up (after the synchronized-output mark, when Ink writes one
// in the same chunk); the first frame, a shrink and a clear start with text or an erase instead.
const redrawStart = /^(\x1b\[\?2026h)?\x1b\[(\d+)A/;

/** The chunk with the redraw's cursor-up corrected; every other chunk as it was. */
export function fixIncrementalFrame(chunk: string): string {
  return chunk.replace(redrawStart, (_all, sync: string | undefined, count: string) => {
    // ESC[0A moves one row, as ESC[1A does: Ink's one-line case happens to be right already.
    const rows = Math.max(1, Number(count)) + (Number(count) === 0 ? 0 : 1);
    return `${sync ?? ''}\x1b[${rows}A`;
  });
}

/** `stdout` with every string written through fixIncrementalFrame; all else is the stream's own. */
export function withIncrementalFix(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  const write = (chunk: unknown, ...rest: unknown[]): boolean =>
    (stdout.write as (...args: unknown[]) => boolean)(
      typeof chunk === 'string' ? fixIncrementalFrame(chunk) : chunk,
      ...rest,
    );
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
