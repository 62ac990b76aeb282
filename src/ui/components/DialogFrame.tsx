import { Box } from 'ink';
import type { Line } from '../present/line.ts';
import { Lines } from './Lines.tsx';

/** A bordered box around a dialog's lines (two extra lines, four extra columns). */
export function DialogFrame({ lines, color }: { lines: Line[]; color: boolean }) {
  return (
    <Box borderStyle="round" borderColor={color ? 'cyan' : undefined} paddingX={1} flexDirection="column">
      <Lines lines={lines} color={color} />
    </Box>
  );
}
