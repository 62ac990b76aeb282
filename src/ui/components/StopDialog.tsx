import { stopDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface StopDialogProps {
  app: string;
  typed: string;
  width: number;
  color: boolean;
}

/** T1: stop confirms only when the app's name is typed exactly. */
export function StopDialog(props: StopDialogProps) {
  return <DialogFrame lines={stopDialogLines(props.app, props.typed, props.width - 4)} color={props.color} />;
}
