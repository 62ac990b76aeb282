import type { Snapshot } from '../../engine/snapshot.ts';
import { timelineLine } from '../present/timeline.ts';
import { LineText } from './LineText.tsx';

/** The version timeline, current version marked. */
export function TimelineBar(props: { snapshot: Snapshot; width: number; now: number; color: boolean }) {
  return <LineText line={timelineLine(props.snapshot, props.width, props.now)} color={props.color} />;
}
