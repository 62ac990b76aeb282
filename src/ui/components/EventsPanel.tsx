import { Box } from 'ink';
import type { AppEvent } from '../../engine/types.ts';
import { eventLines } from '../present/events.ts';
import { Lines } from './Lines.tsx';
import { PanelTitle } from './PanelTitle.tsx';

/** The last `count` events, newest last, warn and error coloured. */
export function EventsPanel(props: {
  events: AppEvent[];
  width: number;
  count: number;
  focused: boolean;
  color: boolean;
}) {
  if (props.count <= 0) return null;
  return (
    <Box flexDirection="column">
      <PanelTitle title="Events" focused={props.focused} color={props.color} />
      <Lines lines={eventLines(props.events, props.width, props.count)} color={props.color} />
    </Box>
  );
}
