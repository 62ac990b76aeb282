import type { Snapshot } from '../../engine/snapshot.ts';
import { deployDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface DeployDialogProps {
  snapshot: Snapshot;
  dir: string;
  width: number;
  color: boolean;
}

/** Deploy again from the app directory, after one confirmation. */
export function DeployDialog(props: DeployDialogProps) {
  return (
    <DialogFrame lines={deployDialogLines(props.snapshot, props.dir, props.width - 4)} color={props.color} />
  );
}
