import { Text } from 'ink';
import { useContext } from 'react';
import { MutedContext, toneColor } from './theme.ts';

/** A panel's title; `▸` marks the focused panel. */
export function PanelTitle({ title, focused, color }: { title: string; focused: boolean; color: boolean }) {
  const text = `${focused ? '▸ ' : ''}${title}`;
  const muted = useContext(MutedContext);
  if (!color) return <Text>{text}</Text>;
  return (
    <Text bold color={muted ? toneColor.dim : focused ? toneColor.focus : undefined}>
      {text}
    </Text>
  );
}
