// Presented lines as terminal text: each tone as the SGR codes Ink's colours wrote before
// (chalk's codes for the same colour names), none at all under NO_COLOR (https://no-color.org).
import type { Line, Tone } from './line.ts';

/** The SGR parameters of each tone. */
const sgr: Record<Tone, string> = {
  old: '94',
  new: '32',
  queue: '33',
  ok: '32',
  warn: '33',
  error: '31',
  dim: '90',
  accent: '36',
  focus: '35',
  title: '1',
  titleFocus: '1;35',
  titleMuted: '1;90',
  heading: '1;94',
  rule: '1',
  border: '36',
  series0: '92',
  series1: '94',
  series2: '95',
  series3: '93',
};

/** One line as text: with each tone's colour, or plain when `color` is off. */
export function lineAnsi(line: Line, color: boolean): string {
  let out = '';
  for (const s of line) {
    if (!color || s.tone === undefined) out += s.text;
    else if (s.text !== '') out += `\x1b[${sgr[s.tone]}m${s.text}\x1b[0m`;
  }
  return out;
}
