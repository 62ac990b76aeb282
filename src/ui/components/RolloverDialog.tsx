import { useInput } from 'ink';
import type { Strategy } from '../../engine/types.ts';
import { rolloverDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface RolloverDialogProps {
  app: string;
  strategy: Strategy;
  width: number;
  color: boolean;
  isActive: boolean;
  onToggle: () => void;
  onConfirm: (strategy: Strategy) => void;
  onCancel: () => void;
}

/** O1: choose rolling or recreate, then confirm. */
export function RolloverDialog(props: RolloverDialogProps) {
  useInput(
    (_input, key) => {
      if (key.escape) props.onCancel();
      else if (key.leftArrow || key.rightArrow || key.tab) props.onToggle();
      else if (key.return) props.onConfirm(props.strategy);
    },
    { isActive: props.isActive },
  );
  return (
    <DialogFrame
      lines={rolloverDialogLines(props.app, props.strategy, props.width - 4)}
      color={props.color}
    />
  );
}
