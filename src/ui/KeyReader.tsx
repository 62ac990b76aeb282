// What Ink does on a terminal: read the keys (raw mode, escape sequences, bursts) and hand them
// on. It draws nothing; frames go through the frame writer.
import { useInput } from 'ink';
import type { KeyPress } from './keymap.ts';

/** `onKey` must not change while mounted (Ink would subscribe again after a render). */
export function KeyReader({ onKey }: { onKey: (input: string, key: KeyPress) => void }) {
  useInput(onKey);
  return null;
}
