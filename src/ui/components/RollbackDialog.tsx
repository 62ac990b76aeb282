import type { VersionSummary } from '../../engine/snapshot.ts';
import { rollbackDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface RollbackDialogProps {
  app: string;
  targets: VersionSummary[];
  index: number;
  now: number;
  width: number;
  height: number;
  color: boolean;
}

/** B1: pick the version to roll back to; the previous one is pre-selected. */
export function RollbackDialog(props: RollbackDialogProps) {
  const lines = rollbackDialogLines(
    props.app,
    props.targets,
    props.index,
    props.now,
    props.width - 4,
    props.height - 2,
  );
  return <DialogFrame lines={lines} color={props.color} />;
}
