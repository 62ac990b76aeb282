import type { Line } from '../present/line.ts';
import { Lines } from './Lines.tsx';

/** Every key, generated from the keymap; esc or ? closes it (routed by routeKey). */
export function HelpOverlay({ lines, color }: { lines: Line[]; color: boolean }) {
  return <Lines lines={lines} color={color} />;
}
