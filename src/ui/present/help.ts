// The help overlay's lines: every keymap entry, with why it is disabled right now.
import { dialogHint, hiddenBy, type KeyContext, keymap, keysLabel } from '../keymap.ts';
import { padEnd } from './format.ts';
import { type Line, seg, wrapLine } from './line.ts';

export function helpLines(context: KeyContext, width: number): Line[] {
  const keyWidth = Math.max(...keymap.map((b) => keysLabel(b).length)) + 2;
  const lines: Line[] = [[seg('Keys', 'accent'), seg('  (esc or ? closes)', 'dim')]];
  if (context.readonly) {
    lines.push(
      ...wrapLine(
        [seg(`read-only: ${context.readonly}; the keys that change the app are off`, 'warn')],
        width,
      ),
    );
  }
  for (const b of keymap) {
    if (hiddenBy(b, context)) continue;
    const reason = b.disabledReason(context);
    const line: Line = [seg(padEnd(keysLabel(b), keyWidth), 'accent'), seg(b.description)];
    if (b.dangerous) line.push(seg(' [confirms]', 'warn'));
    if (reason !== null) line.push(seg(` — ${reason}`, 'dim'));
    lines.push(...wrapLine(line, width, keyWidth));
  }
  const dialogs = ['dialog.confirm', 'dialog.cancel', 'dialog.down', 'dialog.up'] as const;
  lines.push(
    ...wrapLine(
      [seg(padEnd('dialogs', keyWidth), 'accent'), seg(dialogs.map(dialogHint).join(' · '))],
      width,
      keyWidth,
    ),
  );
  return lines;
}
