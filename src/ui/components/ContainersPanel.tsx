import type { Snapshot } from '../../engine/snapshot.ts';
import { containerTableLines } from '../present/container-table.ts';
import { containerLines } from '../present/containers.ts';
import { Lines } from './Lines.tsx';

/**
 * Old and new containers by state, per function; below it (when there is room) the table of
 * every container, the selection on one row while the panel has the focus.
 */
export function ContainersPanel(props: {
  snapshot: Snapshot;
  width: number;
  /** Lines of the summary. */
  height: number;
  /** Rows of the table (0: no table). */
  tableRows: number;
  now: number;
  focused: boolean;
  cursor: number;
  top: number;
  color: boolean;
}) {
  const summary = containerLines(props.snapshot, props.width, props.focused).slice(0, props.height);
  const table =
    props.tableRows > 0
      ? containerTableLines(props.snapshot, {
          width: props.width,
          now: props.now,
          rows: props.tableRows,
          cursor: props.focused ? props.cursor : null,
          top: props.top,
        })
      : [];
  return <Lines lines={[...summary, ...table]} color={props.color} />;
}
