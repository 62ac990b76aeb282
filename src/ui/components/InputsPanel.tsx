import type { InputSummary } from '../../engine/snapshot.ts';
import { inputLines } from '../present/inputs.ts';
import { seg } from '../present/line.ts';
import { Lines } from './Lines.tsx';

/** Queued, in flight, rates and latency ("not reported" where the platform has none). */
export function InputsPanel(props: { inputs: InputSummary; width: number; height: number; color: boolean }) {
  const lines = inputLines(props.inputs, props.width)
    .slice(0, props.height)
    .map((text) => [seg(text)]);
  return <Lines lines={lines} color={props.color} />;
}
