import { useInput } from 'ink';
import type { Line } from '../present/line.ts';
import { Lines } from './Lines.tsx';

/** Every key, generated from the keymap; esc or ? closes it. */
export function HelpOverlay({
  lines,
  color,
  isActive,
  onClose,
}: {
  lines: Line[];
  color: boolean;
  isActive: boolean;
  onClose: () => void;
}) {
  useInput(
    (input, key) => {
      if (key.escape || input === '?') onClose();
    },
    { isActive },
  );
  return <Lines lines={lines} color={color} />;
}
