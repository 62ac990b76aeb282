import { useInput } from 'ink';
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
  isActive: boolean;
  onMove: (by: number) => void;
  onConfirm: (to: number) => void;
  onCancel: () => void;
}

/** B1: pick the version to roll back to; the previous one is pre-selected. */
export function RollbackDialog(props: RollbackDialogProps) {
  useInput(
    (input, key) => {
      if (key.escape) props.onCancel();
      else if (input === 'j' || key.downArrow) props.onMove(1);
      else if (input === 'k' || key.upArrow) props.onMove(-1);
      else if (key.return || input === 'y') {
        const target = props.targets[props.index];
        if (target !== undefined) props.onConfirm(target.version);
      }
    },
    { isActive: props.isActive },
  );
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
