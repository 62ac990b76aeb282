import type { Dispatch } from 'react';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { UiCommand } from '../commands.ts';
import type { Modal, ModalAction } from '../modal-state.ts';
import { DeployDialog } from './DeployDialog.tsx';
import { RollbackDialog } from './RollbackDialog.tsx';
import { RolloverDialog } from './RolloverDialog.tsx';
import { StopDialog } from './StopDialog.tsx';

/** The open confirmation dialog; only it hears keys while it is open. */
export function ModalDialog(props: {
  modal: Modal;
  snapshot: Snapshot;
  deployDir: string | null;
  now: number;
  width: number;
  height: number;
  color: boolean;
  dispatch: Dispatch<ModalAction>;
  onConfirm: (command: UiCommand) => void;
  onCancel: () => void;
}) {
  const { modal, snapshot, width, color, dispatch, onConfirm, onCancel } = props;
  switch (modal.kind) {
    case 'rollback': {
      const byNumber = new Map(snapshot.history.map((v) => [v.version, v]));
      const targets = modal.targets.flatMap((n) => {
        const v = byNumber.get(n);
        return v === undefined ? [] : [v];
      });
      return (
        <RollbackDialog
          app={snapshot.app}
          targets={targets}
          index={modal.index}
          now={props.now}
          width={width}
          height={props.height}
          color={color}
          isActive
          onMove={(by) => dispatch({ type: 'move', by })}
          onConfirm={(to) => onConfirm({ id: 'rollout.rollback', to })}
          onCancel={onCancel}
        />
      );
    }
    case 'rollover':
      return (
        <RolloverDialog
          app={snapshot.app}
          strategy={modal.strategy}
          width={width}
          color={color}
          isActive
          onToggle={() => dispatch({ type: 'toggle-strategy' })}
          onConfirm={(strategy) => onConfirm({ id: 'rollout.rollover', strategy })}
          onCancel={onCancel}
        />
      );
    case 'stop':
      return (
        <StopDialog
          app={snapshot.app}
          typed={modal.typed}
          width={width}
          color={color}
          isActive
          onType={(text) => dispatch({ type: 'type', text })}
          onErase={() => dispatch({ type: 'erase' })}
          onConfirm={() => onConfirm({ id: 'app.stop' })}
          onCancel={onCancel}
        />
      );
    case 'deploy':
      return (
        <DeployDialog
          app={snapshot.app}
          dir={props.deployDir ?? ''}
          width={width}
          color={color}
          isActive
          onConfirm={() => onConfirm({ id: 'app.deploy' })}
          onCancel={onCancel}
        />
      );
    default:
      return null;
  }
}
