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
  if (tooSmall(size.columns, size.rows))
    return { lines: tooSmallLines(size.columns, size.rows), tableRows: 0 };
  const status: Line[] =
    input.status === null
      ? []
      : [[seg(input.status.text, input.status.level === 'error' ? 'error' : 'accent')]];
  const footer =
    modal.kind === 'none'
      ? footerLine(context, width)
      : modalFooterLine(modal, context.snapshot?.app ?? null);
  const fitted = (lines: Line[]): Frame => ({ lines: lines.map((l) => clipLine(l, width)), tableRows: 0 });

  if (snapshot === null) return fitted([[seg('waiting for the first snapshot…')], ...status, footer]);
  if (modal.kind === 'help') {
    const help = helpLines(context, width, modal.from?.kind === 'logs' ? 'logs' : 'screen');
    return fitted([headerLine(snapshot, width), ...helpPanelLines(help, modal.top, size.rows - 3), footer]);
  }

  const banners = [
    ...(stale === null ? [] : [staleLine(stale, now, width)]),
    ...bannerLines(snapshot, now, width, input.failureOutput),
  ];
  const summary = containerLines(snapshot, width, focus === 'containers');
  const inputs = inputLines(snapshot.inputs, width);
  const ordered = orderedContainers(snapshot);
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
  const body: Line[] = [
    ...summary.slice(0, layout.containers - tableLines),
    ...(layout.tableRows > 0
      ? containerTableLines(snapshot, {
          width,
          now,
          rows: layout.tableRows,
          cursor: focus === 'containers' ? cursor : null,
          top: state.cursor.top,
        })
      : []),
    ...inputs.slice(0, layout.inputs).map((text): Line => [seg(text)]),
  ];
  const timeline = timelineLine(snapshot, width, now);
  if (modal.kind === 'none') {
    const series = chartSeries[state.chart] ?? 'ready';
    body.push(...chartLines(snapshot, width, layout.chart, now, series).slice(0, layout.chart), timeline);
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
    body.push(
      ...eventsPanelLines(snapshot, {
        width,
        count: layout.events,
        back: state.eventsBack,
        focused: focus === 'events',
      }),
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
  const header = [headerLine(snapshot, width), ...banners.slice(0, layout.banners)];
  const frame = fitted([...header, ...(stale === null ? body : muted(body)), ...status, footer]);
  return { ...frame, tableRows: layout.tableRows };
}
