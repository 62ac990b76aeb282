// The footer: the keys that apply right now, from the keymap.
import {
  bindingById,
  type DialogKeyId,
  dialogKeymap,
  type KeyBinding,
  type KeyContext,
  keymap,
  whyDisabled,
} from '../keymap.ts';
import type { Modal } from '../modal-state.ts';
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

/** `j/↓ older`: a dialog key's strokes and what it does. */
function dialogEntry(id: DialogKeyId): Line {
  const binding = dialogKeymap.find((b) => b.id === id)!;
  return [seg(binding.keys.map((k) => k.display).join('/'), 'accent'), seg(` ${binding.hint}`, 'dim')];
}

/** The keys of an open dialog, pane or overlay: nothing else works while it is open. */
export function modalFooterLine(modal: Modal, app: string | null): Line {
  const ids: Record<Exclude<Modal['kind'], 'none' | 'logs' | 'help' | 'stop'>, DialogKeyId[]> = {
    rollback: ['dialog.down', 'dialog.up', 'dialog.confirm', 'dialog.cancel'],
    rollover: ['dialog.toggle', 'dialog.confirm', 'dialog.cancel'],
    deploy: ['dialog.confirm', 'dialog.cancel'],
  };
  const join = (entries: Line[]): Line => entries.flatMap((e, i) => (i === 0 ? e : [seg(gap), ...e]));
  switch (modal.kind) {
    case 'none':
      return [];
    case 'stop':
      return join(
        modal.typed === app
          ? [dialogEntry('dialog.submit'), dialogEntry('dialog.cancel')]
          : [dialogEntry('dialog.cancel')],
      );
    case 'logs': {
      const scroll = ['view.down', 'view.up', 'view.pageDown', 'view.pageUp'] as const;
      const keys = scroll
        .map((id) =>
          bindingById(id)
            .keys.map((k) => k.display)
            .join('/'),
        )
        .join(' ');
      return join([
        [seg(keys, 'accent'), seg(' scroll', 'dim')],
        [seg('esc', 'accent'), seg(' closes', 'dim')],
        [seg('?', 'accent'), seg(' help', 'dim')],
      ]);
    }
    case 'help':
      return join([
        [seg('j/↓ k/↑', 'accent'), seg(' scroll', 'dim')],
        [seg('esc/?', 'accent'), seg(' closes', 'dim')],
      ]);
    default:
      return join(ids[modal.kind].map(dialogEntry));
  }
}
