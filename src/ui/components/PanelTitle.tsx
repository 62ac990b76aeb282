import { Text } from 'ink';
import { toneColor } from './theme.ts';

/** A panel's title; `▸` marks the focused panel. */
export function PanelTitle({ title, focused, color }: { title: string; focused: boolean; color: boolean }) {
  const text = `${focused ? '▸ ' : ''}${title}`;
  if (!color) return <Text>{text}</Text>;
  return (
    <Text bold color={focused ? toneColor.focus : undefined}>
      {text}
    </Text>
  );
}
