// The whole watch screen as lines: one pure function of what the screen is given and its view
// state (Bubble Tea's View). The terminal gets these lines through the frame writer, which sends
// only the cells that changed; the component tests read the same lines through Ink.
import type { Snapshot } from '../../engine/snapshot.ts';
import type { KeyContext } from '../keymap.ts';
import type { ScreenState } from '../route-key.ts';
import { chartLines, chartSeries } from './chart.ts';
import { containerTableLines, orderedContainers } from './container-table.ts';
import { containerLines } from './containers.ts';
import { footerLine, modalFooterLine } from './footer.ts';
import { age } from './format.ts';
import { type FrameMemo, noMemo, snapshotParts } from './frame-memo.ts';
import { bannerLines, type FailureOutput, headerLine, type Stale, staleLine } from './header.ts';
import { helpLines } from './help.ts';
import { inputLines } from './inputs.ts';
import { planLayout, tooSmall } from './layout.ts';
import { clipLine, type Line, seg } from './line.ts';
import { type LogsView, logsPaneLines } from './logs.ts';
import { dialogLines, eventsPanelLines, helpPanelLines, historyPanelLines } from './panels.ts';
import { timelineLine } from './timeline.ts';
import { tooSmallLines } from './too-small.ts';

/** What the status line says: what was asked or happened last, and whether it went wrong. */
export interface StatusText {
  text: string;
  level: 'info' | 'error';
}

/** Everything one frame of the watch screen depends on. */
export interface FrameInput {
  snapshot: Snapshot | null;
  size: { columns: number; rows: number };
  now: number;
  context: KeyContext;
  state: ScreenState;
  status: StatusText | null;
  stale: Stale | null;
  logs: LogsView | null;
  failureOutput: FailureOutput | null;
  deployDir: string | null;
  /** Where the provider points (`prod-eu/shop`), for the header; '' for local. */
  target?: string;
  /** The last frame's panels, to reuse those whose inputs are the same objects. */
  memo?: Pick<FrameMemo, 'get'>;
}

/** The frame's lines (each at most the width), and the rows of the containers table it shows. */
export interface Frame {
  lines: Line[];
  /** A page of the table, for PgUp/PgDn; 0 when no table is shown. */
  tableRows: number;
}

/** Every value grey (titles stay bold): the data under a lost feed. */
function muted(lines: Line[]): Line[] {
  return lines.map((line) =>
    line.map((s) => seg(s.text, s.tone === 'title' || s.tone === 'titleFocus' ? 'titleMuted' : 'dim')),
  );
}

export function watchFrame(input: FrameInput): Frame {
  const { snapshot, size, now, context, state, stale } = input;
  const { modal, focus } = state;
  const width = size.columns;
  const memo = input.memo ?? noMemo;
  const parts = snapshot === null ? [] : snapshotParts(snapshot);
  if (tooSmall(size.columns, size.rows))
    return { lines: tooSmallLines(size.columns, size.rows), tableRows: 0 };
  const status: Line[] =
    input.status === null
      ? []
      : [[seg(input.status.text, input.status.level === 'error' ? 'error' : 'accent')]];
  const { capabilities, deployDir, readonly, canGoBack } = context;
  const footer = memo.get(
    'footer',
    [modal, width, capabilities, deployDir, readonly, canGoBack, ...parts],
    () =>
      modal.kind === 'none'
        ? footerLine(context, width)
        : modalFooterLine(modal, context.snapshot?.app ?? null),
  );
  const fitted = (lines: Line[]): Frame => ({ lines: lines.map((l) => clipLine(l, width)), tableRows: 0 });

  if (snapshot === null) return fitted([[seg('waiting for the first snapshot…')], ...status, footer]);
  if (modal.kind === 'help') {
    const help = helpLines(context, width, modal.from?.kind === 'logs' ? 'logs' : 'screen');
    return fitted([
      headerLine(snapshot, width, input.target),
      ...helpPanelLines(help, modal.top, size.rows - 3),
      footer,
    ]);
  }

  const banners = [
    ...(stale === null ? [] : [staleLine(stale, now, width)]),
    ...bannerLines(snapshot, now, width, input.failureOutput),
  ];
  const { containers, functions, rollout, version } = snapshot;
  const summary = memo.get('summary', [width, focus, containers, functions, rollout, version], () =>
    containerLines(snapshot, width, focus === 'containers'),
  );
  const inputs = memo.get('inputs', [width, snapshot.inputs], () =>
    inputLines(snapshot.inputs, width).map((text): Line => [seg(text)]),
  );
  const ordered = memo.get('ordered', [containers], () => orderedContainers(snapshot));
  const layout = planLayout({
    rows: size.rows,
    banners: banners.length,
    containerLines: summary.length,
    // While a dialog or pane is open, the table gives it the room.
    containerRows: modal.kind === 'none' ? Math.max(1, ordered.length) : 0,
    inputLines: inputs.length,
    events: snapshot.events.length,
    history: snapshot.history.length,
    historyTotal: snapshot.historyTotal ?? snapshot.history.length,
    showHistory: state.showHistory,
    hasStatus: status.length > 0,
  });
  const selected = ordered.findIndex((c) => c.id === state.cursor.id);
  const cursor = selected >= 0 ? selected : Math.min(state.cursor.index, Math.max(0, ordered.length - 1));
  const tableLines = layout.tableRows > 0 ? layout.tableRows + 1 : 0;
  // The table shows ages: it is the same while each container's age reads the same.
  const ages = ordered.map((c) => (c.startedAt === null ? '' : age(c.startedAt, now))).join();
  const tableCursor = focus === 'containers' ? cursor : null;
  const table = memo.get(
    'table',
    [width, ages, layout.tableRows, tableCursor, state.cursor.top, containers, functions, rollout, version],
    () =>
      layout.tableRows > 0
        ? containerTableLines(snapshot, {
            width,
            now,
            rows: layout.tableRows,
            cursor: tableCursor,
            top: state.cursor.top,
          })
        : [],
  );
  const body: Line[] = [
    ...summary.slice(0, layout.containers - tableLines),
    ...table,
    ...inputs.slice(0, layout.inputs),
  ];
  const timeline = timelineLine(snapshot, width, now);
  if (modal.kind === 'none') {
    const series = chartSeries[state.chart] ?? 'ready';
    body.push(
      ...chartLines(snapshot, width, layout.chart, now, series, memo).slice(0, layout.chart),
      timeline,
    );
    if (layout.historyRows > 0) {
      const total =
        layout.historyMore > 0 ? (snapshot.historyTotal ?? snapshot.history.length) : layout.historyRows;
      body.push(
        ...historyPanelLines(snapshot, {
          now,
          width,
          rows: layout.historyRows,
          total,
          focused: focus === 'history',
        }),
      );
    }
    const events = [snapshot.events, width, layout.events, state.eventsBack, focus];
    body.push(
      ...memo.get('events', events, () =>
        eventsPanelLines(snapshot, {
          width,
          count: layout.events,
          back: state.eventsBack,
          focused: focus === 'events',
        }),
      ),
    );
  } else if (modal.kind === 'logs') {
    const view: LogsView =
      input.logs?.container === modal.container
        ? input.logs
        : { container: modal.container, lines: [], state: 'following' };
    body.push(timeline, ...logsPaneLines(view, width, Math.max(2, layout.modal - 1), modal.back));
  } else {
    const room = { now, width, height: layout.modal, deployDir: input.deployDir };
    body.push(timeline, ...dialogLines(modal, snapshot, room));
  }
  const header = [
    memo.get('header', [width, input.target, ...parts], () => headerLine(snapshot, width, input.target)),
    ...banners.slice(0, layout.banners),
  ];
  const frame = fitted([...header, ...(stale === null ? body : muted(body)), ...status, footer]);
  return { ...frame, tableRows: layout.tableRows };
}
