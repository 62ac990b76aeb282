import type { Strategy } from '../../engine/types.ts';
import { rolloverDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface RolloverDialogProps {
  app: string;
  strategy: Strategy;
  width: number;
  color: boolean;
}

/** O1: choose rolling or recreate, then confirm. */
export function RolloverDialog(props: RolloverDialogProps) {
  return (
    <DialogFrame
      lines={rolloverDialogLines(props.app, props.strategy, props.width - 4)}
      color={props.color}
    />
  );
}
