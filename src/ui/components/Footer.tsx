import type { KeyContext } from '../keymap.ts';
import { footerLine } from '../present/footer.ts';
import { LineText } from './LineText.tsx';

/** The keys that apply right now, from the keymap. */
export function Footer(props: { context: KeyContext; width: number; color: boolean }) {
  return <LineText line={footerLine(props.context, props.width)} color={props.color} />;
}
