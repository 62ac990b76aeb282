// The help overlay's lines: every key of the current mode (the screen's, with why one is off right
// now, or the logs pane's), the dialogs' keys, and what every symbol on the screen means.
import { dialogHint, hiddenBy, type KeyContext, keymap, keysLabel, whyDisabled } from '../keymap.ts';
import { padEnd } from './format.ts';
import { type Line, seg, wrapLine } from './line.ts';

/** Every symbol the screen draws, and what it means. */
export const symbols: [string, string][] = [
  ['█', 'a ready container'],
  ['░', 'a starting container'],
  ['▒', 'a draining container'],
  ['✗', 'a failed container or rollout'],
  ['●', 'the active version'],
  ['◐', 'a version rolling out'],
  ['↺', 'vN: a rollback to vN; ↺3: 3 restarts in a row'],
  ['▲', "where a version's rollout started (²: two in a column)"],
  ['‖', 'a paused rollout (p resumes)'],
  ['⚠', 'stale data, or a warning'],
  ['■', 'a stopped app'],
  ['⧗', 'an image building'],
  ['▸', 'the focused panel, the selected row'],
  ['—', 'not reported by this platform (never 0)'],
];

/** Two symbols a line where the width allows, one otherwise. */
function symbolLines(width: number): Line[] {
  const cell = Math.max(...symbols.map(([s, m]) => s.length + 1 + m.length)) + 3;
  const perLine = width >= 2 * cell + 2 ? 2 : 1;
  const lines: Line[] = [];
  for (let i = 0; i < symbols.length; i += perLine) {
    const line: Line = [seg('  ')];
    symbols.slice(i, i + perLine).forEach(([symbol, meaning], k) => {
      line.push(seg(`${symbol} `, 'accent'), seg(k < perLine - 1 ? padEnd(meaning, cell - 2) : meaning));
    });
    lines.push(...wrapLine(line, width, 4));
  }
  return lines;
}

/** What the logs pane's keys do (it is a mode of its own). */
const logsKeys: [string, string][] = [
  ['j / ↓', 'newer lines (back to following at the newest)'],
  ['k / ↑', 'older lines'],
  ['pgdn / pgup', 'a page newer / older'],
  ['esc', 'close the pane (the app is not touched)'],
];

export function helpLines(context: KeyContext, width: number, mode: 'screen' | 'logs' = 'screen'): Line[] {
  const keyWidth = Math.max(...keymap.map((b) => keysLabel(b).length)) + 2;
  const lines: Line[] = [
    [seg(mode === 'logs' ? 'Keys of the logs pane' : 'Keys', 'accent'), seg('  (esc or ? closes)', 'dim')],
  ];
  if (mode === 'logs') {
    for (const [keys, what] of logsKeys) {
      lines.push(...wrapLine([seg(padEnd(keys, keyWidth), 'accent'), seg(what)], width, keyWidth));
    }
    lines.push([seg('Keys of the screen', 'accent')]);
  }
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
    const reason = whyDisabled(b, context);
    const line: Line = [seg(padEnd(keysLabel(b), keyWidth), 'accent'), seg(b.description)];
    if (b.dangerous) line.push(seg(' [confirms]', 'warn'));
    if (reason !== null) line.push(seg(` — ${reason}`, 'dim'));
    lines.push(...wrapLine(line, width, keyWidth));
  }
  const dialogs = ['dialog.confirm', 'dialog.cancel', 'dialog.down', 'dialog.up', 'dialog.toggle'] as const;
  lines.push(
    ...wrapLine(
      [seg(padEnd('dialogs', keyWidth), 'accent'), seg(dialogs.map(dialogHint).join(' · '))],
      width,
      keyWidth,
    ),
  );
  lines.push([seg('Symbols', 'accent')], ...symbolLines(width));
  return lines;
}
