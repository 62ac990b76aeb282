// `cutover help watch` lists the screen's keys from the keymap, like the help overlay and the
// README: one source of truth.
import { dialogHint, keymap, keysLabel } from './keymap.ts';
import { symbols } from './present/help.ts';

/** The keys and symbols of the watch screen, as plain text for the command line's help. */
export function watchKeysText(): string {
  const width = Math.max(...keymap.map((b) => keysLabel(b).length)) + 2;
  const keys = keymap.map(
    (b) => `  ${keysLabel(b).padEnd(width)}${b.description}${b.dangerous ? ' (asks to confirm)' : ''}`,
  );
  const dialogs = ['dialog.confirm', 'dialog.cancel', 'dialog.down', 'dialog.up', 'dialog.toggle'] as const;
  return [
    'Keys on the screen (--readonly hides the ones that change the app):',
    ...keys,
    `  ${'dialogs'.padEnd(width)}${dialogs.map(dialogHint).join(' · ')}`,
    'Symbols:',
    ...symbols.map(([symbol, meaning]) => `  ${symbol}  ${meaning}`),
  ].join('\n');
}
