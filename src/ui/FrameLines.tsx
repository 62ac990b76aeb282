// A screen's lines (text with colour codes) drawn by Ink, one below the other: how the component
// tests and ink-testing-library read the frames a terminal gets through the frame writer.
import { Box, Text } from 'ink';

export function FrameLines({ lines, width }: { lines: string[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
