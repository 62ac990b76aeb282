import { type Line, seg } from '../present/line.ts';
import { Lines } from './Lines.tsx';

/**
 * Every key and symbol, generated from the keymap, in at most `height` lines; when it is taller,
 * j/k scroll it and its last line says what is left (keys routed by routeKey).
 */
export function HelpOverlay(props: { lines: Line[]; top: number; height: number; color: boolean }) {
  const { lines, height } = props;
  if (lines.length <= height) return <Lines lines={lines} color={props.color} />;
  const room = Math.max(1, height - 1);
  const top = Math.min(props.top, Math.max(0, lines.length - room));
  const below = lines.length - top - room;
  const more: Line = [
    seg(below > 0 ? `↓ ${below} more lines · j/k scroll · esc closes` : '↑ j/k scroll · esc closes', 'dim'),
  ];
  return <Lines lines={[...lines.slice(top, top + room), more]} color={props.color} />;
}
