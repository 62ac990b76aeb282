import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { rollbackDialogLines } from '../present/dialogs.ts';
import { DialogFrame } from './DialogFrame.tsx';

export interface RollbackDialogProps {
  snapshot: Snapshot;
  targets: VersionSummary[];
  index: number;
  engineDefault: number | null;
  warned: boolean;
  now: number;
  width: number;
  height: number;
  color: boolean;
}

/** B1: pick the version to roll back to; the engine's default is pre-selected. */
export function RollbackDialog(props: RollbackDialogProps) {
  const lines = rollbackDialogLines(props.snapshot, props.targets, props.index, {
    now: props.now,
    width: props.width - 4,
    height: props.height - 2,
    engineDefault: props.engineDefault,
    warned: props.warned,
  });
  return <DialogFrame lines={lines} color={props.color} />;
}
