import { Box } from 'ink';
import type { Line } from '../present/line.ts';
import { LineText } from './LineText.tsx';

/** Presented lines, one below the other. */
export function Lines({ lines, color }: { lines: Line[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <LineText key={i} line={line} color={color} />
      ))}
    </Box>
  );
}
