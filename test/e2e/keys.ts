// The bytes a terminal sends for a keymap binding, so end-to-end tests press keymap ids, never
// literal keys (lazygit's integration tests press `keys.Universal.New`).
import {
  bindingById,
  type DialogKeyId,
  dialogKeymap,
  type KeyId,
  type KeyStroke,
  type NamedKey,
} from '../../src/ui/keymap.ts';

const namedBytes: Record<NamedKey, string> = {
  tab: '\t',
  escape: '\x1b',
  return: '\r',
  upArrow: '\x1b[A',
  downArrow: '\x1b[B',
  rightArrow: '\x1b[C',
  leftArrow: '\x1b[D',
  backspace: '\x7f',
  delete: '\x1b[3~',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
};

/** What a terminal sends for one stroke. */
export function strokeBytes(stroke: KeyStroke): string {
  if (stroke.named !== undefined) return namedBytes[stroke.named];
  const input = stroke.input ?? '';
  // ctrl-letter is the letter's position in the alphabet: ctrl-c is 0x03.
  if (stroke.ctrl) return String.fromCharCode(input.toLowerCase().charCodeAt(0) - 96);
  return input;
}

/** The first key of a screen binding, as typed. */
export function keyOf(id: KeyId): string {
  return strokeBytes(bindingById(id).keys[0]!);
}

/** The first key of a dialog binding, as typed. */
export function dialogKeyOf(id: DialogKeyId): string {
  const binding = dialogKeymap.find((b) => b.id === id);
  if (binding === undefined) throw new Error(`no dialog key ${id}`);
  return strokeBytes(binding.keys[0]!);
}
