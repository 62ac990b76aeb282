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
  /** Events scrolled back from the newest. */
  back?: number;
  focused: boolean;
  color: boolean;
}) {
  if (props.count <= 0) return null;
  const back = Math.min(props.back ?? 0, Math.max(0, props.events.length - props.count));
  const events = back > 0 ? props.events.slice(0, -back) : props.events;
  return (
    <Box flexDirection="column">
      <PanelTitle
        title={back > 0 ? `Events (${back} newer below)` : 'Events'}
        focused={props.focused}
        color={props.color}
      />
      <Lines lines={eventLines(events, props.width, props.count)} color={props.color} />
    </Box>
  );
}
