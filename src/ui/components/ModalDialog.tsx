import type { Snapshot } from '../../engine/snapshot.ts';
import type { Modal } from '../modal-state.ts';
import { DeployDialog } from './DeployDialog.tsx';
import { RollbackDialog } from './RollbackDialog.tsx';
import { RolloverDialog } from './RolloverDialog.tsx';
import { StopDialog } from './StopDialog.tsx';

/** The open confirmation dialog. Its keys are routed by routeKey, not heard here. */
export function ModalDialog(props: {
  modal: Modal;
  snapshot: Snapshot;
  deployDir: string | null;
  now: number;
  width: number;
  height: number;
  color: boolean;
}) {
  const { modal, snapshot, width, color } = props;
  switch (modal.kind) {
    case 'rollback': {
      const byNumber = new Map(snapshot.history.map((v) => [v.version, v]));
      const targets = modal.targets.flatMap((n) => {
        const v = byNumber.get(n);
        return v === undefined ? [] : [v];
      });
      return (
        <RollbackDialog
          snapshot={snapshot}
          targets={targets}
          index={modal.index}
          engineDefault={snapshot.rollbackTarget ?? null}
          warned={modal.warned}
          now={props.now}
          width={width}
          height={props.height}
          color={color}
        />
      );
    }
    case 'rollover':
      return (
        <RolloverDialog
          snapshot={snapshot}
          strategy={modal.strategy}
          strategies={modal.strategies}
          width={width}
          color={color}
        />
      );
    case 'stop':
      return <StopDialog app={snapshot.app} typed={modal.typed} width={width} color={color} />;
    case 'deploy':
      return <DeployDialog snapshot={snapshot} dir={props.deployDir ?? ''} width={width} color={color} />;
    default:
      return null;
  }
}
