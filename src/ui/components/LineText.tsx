import { Text } from 'ink';
import { type Line, lineText } from '../present/line.ts';
import { toneColor } from './theme.ts';

/** One presented line; coloured by tone only when `color` is on. */
export function LineText({ line, color }: { line: Line; color: boolean }) {
  if (!color) return <Text wrap="truncate">{lineText(line)}</Text>;
  return (
    <Text wrap="truncate">
      {line.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity but their place
        <Text key={i} color={s.tone === undefined ? undefined : toneColor[s.tone]}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
