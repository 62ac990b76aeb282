import { Text } from 'ink';
import { useContext } from 'react';
import { type Line, lineText } from '../present/line.ts';
import { MutedContext, toneColor } from './theme.ts';

/** One presented line; coloured by tone only when `color` is on, all grey while muted. */
export function LineText({ line, color }: { line: Line; color: boolean }) {
  const muted = useContext(MutedContext);
  if (!color) return <Text wrap="truncate">{lineText(line)}</Text>;
  if (muted) {
    return (
      <Text wrap="truncate" color={toneColor.dim}>
        {lineText(line)}
      </Text>
    );
  }
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
