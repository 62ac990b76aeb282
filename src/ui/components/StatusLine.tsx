import { seg } from '../present/line.ts';
import { LineText } from './LineText.tsx';

/** What the last command did, or why the feed or a key did nothing. */
export function StatusLine(props: { text: string; level: 'info' | 'error'; color: boolean }) {
  return (
    <LineText line={[seg(props.text, props.level === 'error' ? 'error' : 'accent')]} color={props.color} />
  );
}
