// The footer: the keys that apply right now, from the keymap.
import { type KeyBinding, type KeyContext, keymap, whyDisabled } from '../keymap.ts';
import { type Line, seg } from './line.ts';

const gap = '  ';

/** What the footer shows for a binding: its first key and its label. */
function entryText(b: KeyBinding, context: KeyContext): { key: string; label: string } {
  return { key: b.keys[0]!.display, label: b.labelFor?.(context) ?? b.label };
}

/** `r rollback  o rollover  …  q quit`, leaving out disabled keys and what does not fit. */
export function footerLine(context: KeyContext, width: number): Line {
  const enabled = keymap.filter((b) => b.inFooter !== false && whyDisabled(b, context) === null);
  // Help and quit always stay: they are how one finds out about the rest, and how one leaves.
  const kept = new Set(enabled.filter((b) => b.id === 'app.quit' || b.id === 'view.help'));
  const size = (b: KeyBinding) => {
    const { key, label } = entryText(b, context);
    return key.length + 1 + label.length;
  };
  let used = [...kept].reduce((n, b) => n + size(b) + gap.length, -gap.length);
  for (const b of enabled) {
    if (kept.has(b)) continue;
    if (used + gap.length + size(b) > width) continue;
    kept.add(b);
    used += gap.length + size(b);
  }
  const line: Line = [];
  for (const b of enabled.filter((e) => kept.has(e))) {
    const { key, label } = entryText(b, context);
    if (line.length > 0) line.push(seg(gap));
    line.push(seg(key, 'accent'), seg(` ${label}`, 'dim'));
  }
  return line;
}
