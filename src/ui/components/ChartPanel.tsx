import type { Snapshot } from '../../engine/snapshot.ts';
import { chartLines } from '../present/chart.ts';
import { Lines } from './Lines.tsx';

/** Ready containers per version and queue depth, with version markers (M2). */
export function ChartPanel(props: {
  snapshot: Snapshot;
  width: number;
  height: number;
  now: number;
  color: boolean;
}) {
  const lines = chartLines(props.snapshot, props.width, props.height, props.now).slice(0, props.height);
  if (lines.length === 0) return null;
  return <Lines lines={lines} color={props.color} />;
}
