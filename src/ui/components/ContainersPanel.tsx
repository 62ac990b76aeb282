import type { Snapshot } from '../../engine/snapshot.ts';
import { containerLines } from '../present/containers.ts';
import { Lines } from './Lines.tsx';

/** Old and new containers by state, per function, in at most `height` lines. */
export function ContainersPanel(props: {
  snapshot: Snapshot;
  width: number;
  height: number;
  focused: boolean;
  color: boolean;
}) {
  const lines = containerLines(props.snapshot, props.width, props.focused).slice(0, props.height);
  return <Lines lines={lines} color={props.color} />;
}
