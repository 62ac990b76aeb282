import { Table } from '@alcalzone/ink-table';
import { Text } from 'ink';
import { type PropsWithChildren, useContext } from 'react';
import type { VersionSummary } from '../../engine/snapshot.ts';
import { historyColumnsFor, historyMoreLine, historyRows } from '../present/history.ts';
import { LineText } from './LineText.tsx';
import { PanelTitle } from './PanelTitle.tsx';
import { MutedContext, toneColor } from './theme.ts';

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

function grey({ children }: PropsWithChildren) {
  return <Text color={toneColor.dim}>{children}</Text>;
}

/** The history table (h toggles it): the newest `rows` versions, columns that fit `width`. */
export function HistoryPanel(props: {
  history: VersionSummary[];
  now: number;
  width: number;
  rows: number;
  /** Versions there are in all: more than `rows` adds a line saying how many are left out. */
  total: number;
  app: string;
  focused: boolean;
  color: boolean;
}) {
  const muted = useContext(MutedContext) && props.color;
  const data = historyRows(props.history, props.now, props.rows);
  if (data.length === 0) return null;
  const columns = historyColumnsFor(data, props.width);
  // ink-table's default header and skeleton are styled; NO_COLOR must get none at all.
  const styled = muted
    ? { header: grey, skeleton: grey }
    : props.color
      ? { header: coloredHeader }
      : { header: plain, skeleton: plain };
  return (
    <>
      <PanelTitle title="History" focused={props.focused} color={props.color} />
      <Table data={data} columns={columns} cell={muted ? grey : plain} {...styled} />
      {props.total > data.length ? (
        <LineText
          line={historyMoreLine(props.total - data.length, props.app, props.width)}
          color={props.color}
        />
      ) : null}
    </>
  );
}
