import type { Snapshot } from '../../engine/snapshot.ts';
import { type ChartSeries, chartLines } from '../present/chart.ts';
import { Lines } from './Lines.tsx';

/** One series at a time (c cycles them) over the panel's width, with version markers (M2). */
export function ChartPanel(props: {
  snapshot: Snapshot;
  width: number;
  height: number;
  now: number;
  series: ChartSeries;
  color: boolean;
}) {
  const lines = chartLines(props.snapshot, props.width, props.height, props.now, props.series).slice(
    0,
    props.height,
  );
  if (lines.length === 0) return null;
  return <Lines lines={lines} color={props.color} />;
}
