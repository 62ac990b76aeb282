import type { Snapshot } from '../../engine/snapshot.ts';
import { rolloverDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface RolloverDialogProps {
  snapshot: Snapshot;
  strategy: string | undefined;
  strategies: string[];
  width: number;
  color: boolean;
}

/** O1: choose rolling or recreate, then confirm. */
export function RolloverDialog(props: RolloverDialogProps) {
  return (
    <DialogFrame
      lines={rolloverDialogLines(props.snapshot, props.strategy, props.strategies, props.width - 4)}
      color={props.color}
    />
  );
}
