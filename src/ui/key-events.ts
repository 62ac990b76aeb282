// Ink hands a burst of typed or pasted keys (`r` then enter, read in one chunk) to useInput as
// one string. The screen routes key by key, so a burst is split back into single keypresses.
import type { KeyPress } from './keymap.ts';

/** One keypress: what Ink would have reported had it arrived alone. */
export interface KeyEvent {
  input: string;
  key: KeyPress;
}

const named: Record<string, KeyPress> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\x7f': { delete: true },
  '\b': { backspace: true },
};

function single(char: string): KeyEvent {
  const key = named[char];
  if (key !== undefined) return { input: '', key };
  const code = char.codePointAt(0) ?? 0;
  // ctrl-a … ctrl-z arrive as 0x01 … 0x1a; Ink reports them as the letter with ctrl.
  if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ctrl: true } };
  return { input: char, key: /^[A-Z]$/.test(char) ? { shift: true } : {} };
}

/**
 * Splits what Ink reported into single keypresses. A named key (an arrow, escape) or a single
 * character passes through; only plain text longer than one character is split.
 */
export function splitKeys(input: string, key: KeyPress): KeyEvent[] {
  const chars = [...input];
  if (chars.length <= 1 || input.includes('\x1b')) return [{ input, key }];
  const isNamed = Object.entries(key).some(([name, on]) => on === true && name !== 'shift');
  if (isNamed) return [{ input, key }];
  return chars.map(single);
}
