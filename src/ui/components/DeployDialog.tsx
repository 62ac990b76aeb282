import { useInput } from 'ink';
import { deployDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface DeployDialogProps {
  app: string;
  dir: string;
  width: number;
  color: boolean;
  isActive: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Deploy again from the app directory, after one confirmation. */
export function DeployDialog(props: DeployDialogProps) {
  useInput(
    (input, key) => {
      if (key.escape) props.onCancel();
      else if (key.return || input === 'y') props.onConfirm();
    },
    { isActive: props.isActive },
  );
  return <DialogFrame lines={deployDialogLines(props.app, props.dir, props.width - 4)} color={props.color} />;
}
