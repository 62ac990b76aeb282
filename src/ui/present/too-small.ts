// The one line shown when the terminal is smaller than the screen needs.
import { minSize } from './layout.ts';

/** `Terminal too small: 59×17, cutover needs at least 60×18.` cut to the width. */
export function tooSmallText(columns: number, rows: number): string {
  const text = `Terminal too small: ${columns}×${rows}, cutover needs at least ${minSize.columns}×${minSize.rows}.`;
  return text.length <= columns ? text : text.slice(0, Math.max(0, columns));
}
