import { Table } from '@alcalzone/ink-table';
import { Text } from 'ink';
import type { PropsWithChildren } from 'react';
import type { VersionSummary } from '../../engine/snapshot.ts';
import { historyColumnsFor, historyRows } from '../present/history.ts';
import { PanelTitle } from './PanelTitle.tsx';

function plain({ children }: PropsWithChildren) {
  return <Text>{children}</Text>;
}

function coloredHeader({ children }: PropsWithChildren) {
  return (
    <Text bold color="blueBright">
      {children}
    </Text>
  );
}

/** The history table (h toggles it): the newest `rows` versions, columns that fit `width`. */
export function HistoryPanel(props: {
  history: VersionSummary[];
  now: number;
  width: number;
  rows: number;
  focused: boolean;
  color: boolean;
}) {
  const data = historyRows(props.history, props.now, props.rows);
  if (data.length === 0) return null;
  const columns = historyColumnsFor(data, props.width);
  // ink-table's default header and skeleton are styled; NO_COLOR must get none at all.
  const styled = props.color ? { header: coloredHeader } : { header: plain, skeleton: plain };
  return (
    <>
      <PanelTitle title="History" focused={props.focused} color={props.color} />
      <Table data={data} columns={columns} cell={plain} {...styled} />
    </>
  );
}
