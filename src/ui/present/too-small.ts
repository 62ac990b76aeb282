// The lines shown when the terminal is smaller than the screen needs: the size it needs first.
import { minSize } from './layout.ts';
import { type Line, seg, wrapLine } from './line.ts';

/** `Terminal too small: 59×17; cutover needs at least 60×18.`, wrapped to the width. */
export function tooSmallLines(columns: number, rows: number): Line[] {
  const text = `Terminal too small: ${columns}×${rows}, cutover needs at least ${minSize.columns}×${minSize.rows}.`;
  return wrapLine([seg(text)], Math.max(1, columns)).slice(0, Math.max(1, rows - 1));
}
