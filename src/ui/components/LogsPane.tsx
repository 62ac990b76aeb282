import { type LogsView, logsPaneLines } from '../present/logs.ts';
import { Lines } from './Lines.tsx';

/** A container's output in the area dialogs use; esc closes it (routed by routeKey). */
export function LogsPane(props: {
  view: LogsView;
  width: number;
  height: number;
  back: number;
  color: boolean;
}) {
  return (
    <Lines lines={logsPaneLines(props.view, props.width, props.height, props.back)} color={props.color} />
  );
}
