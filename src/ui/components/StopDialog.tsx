import { useInput } from 'ink';
import { stopDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface StopDialogProps {
  app: string;
  typed: string;
  width: number;
  color: boolean;
  isActive: boolean;
  onType: (text: string) => void;
  onErase: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}

/** T1: stop confirms only when the app's name is typed exactly. */
export function StopDialog(props: StopDialogProps) {
  useInput(
    (input, key) => {
      if (key.escape) props.onCancel();
      else if (key.return) {
        if (props.typed === props.app) props.onConfirm();
      } else if (key.backspace || key.delete) props.onErase();
      else if (!key.ctrl && !key.meta && !key.tab && input.length > 0) props.onType(input);
    },
    { isActive: props.isActive },
  );
  return <DialogFrame lines={stopDialogLines(props.app, props.typed, props.width - 4)} color={props.color} />;
}
