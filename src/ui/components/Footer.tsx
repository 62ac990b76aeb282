import type { KeyContext } from '../keymap.ts';
import type { Modal } from '../modal-state.ts';
import { footerLine, modalFooterLine } from '../present/footer.ts';
import { clipLine } from '../present/line.ts';
import { LineText } from './LineText.tsx';

/** The keys that apply right now, from the keymap; only an open dialog's keys while it is open. */
export function Footer(props: { context: KeyContext; width: number; color: boolean; modal?: Modal }) {
  const line =
    props.modal === undefined || props.modal.kind === 'none'
      ? footerLine(props.context, props.width)
      : clipLine(modalFooterLine(props.modal, props.context.snapshot?.app ?? null), props.width);
  return <LineText line={line} color={props.color} />;
}
