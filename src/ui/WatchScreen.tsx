// The watch screen's root: lays the panels out for the terminal size and owns the one input
// handler (useScreenState → routeKey). It renders only what the Snapshot says.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { CommandReply } from '../engine/effects.ts';
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import type { UiCommand } from './commands.ts';
import { ChartPanel } from './components/ChartPanel.tsx';
import { ContainersPanel } from './components/ContainersPanel.tsx';
import { EventsPanel } from './components/EventsPanel.tsx';
import { Footer } from './components/Footer.tsx';
import { HeaderBar } from './components/HeaderBar.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { HistoryPanel } from './components/HistoryPanel.tsx';
import { InputsPanel } from './components/InputsPanel.tsx';
import { LogsPane } from './components/LogsPane.tsx';
import { ModalDialog } from './components/ModalDialog.tsx';
import { StatusLine } from './components/StatusLine.tsx';
import { TimelineBar } from './components/TimelineBar.tsx';
import { TooSmall } from './components/TooSmall.tsx';
import { MutedContext } from './components/theme.ts';
import type { KeyContext } from './keymap.ts';
import { chartSeries } from './present/chart.ts';
import { orderedContainers } from './present/container-table.ts';
import { containerLines } from './present/containers.ts';
import { bannerLines, type FailureOutput, type Stale } from './present/header.ts';
import { helpLines } from './present/help.ts';
import { inputLines } from './present/inputs.ts';
import { planLayout, tooSmall } from './present/layout.ts';
import type { LogsView } from './present/logs.ts';
import { useCommandStatus } from './use-command-status.ts';
import { useScreenState } from './use-screen-state.ts';

/** Everything the watch screen is given; it owns only view state (dialogs, focus, toggles). */
export interface WatchScreenProps {
  snapshot: Snapshot | null;
  /** The feed's error, if it broke for good. */
  error: string | null;
  /** Set while the feed is lost and reconnecting: the data on screen is that old. */
  stale?: Stale | null;
  /** What the feed did by itself (it followed the name to a new app), for the status line. */
  notice?: string | null;
  size: { columns: number; rows: number };
  now: number;
  /** False under NO_COLOR: nothing is styled at all. */
  color: boolean;
  deployDir: string | null;
  capabilities: Provider['capabilities'];
  onCommand: (command: UiCommand) => Promise<CommandReply>;
  onQuit: () => void;
  /** The output of the container whose logs pane is open, as far as it has arrived. */
  logs?: LogsView | null;
  /** Open (a container id) or close (null) a logs pane: the caller follows Provider.logs. */
  onLogs?: (container: string | null) => void;
  /** The last lines the failing container wrote, for the failure banner. */
  failureOutput?: FailureOutput | null;
  /** Why this screen may change nothing (a read-only target, --readonly); absent when it may. */
  readonly?: string | null;
  /** Opened from the overview: esc goes back to it. */
  onBack?: () => void;
}

export function WatchScreen(props: WatchScreenProps) {
  const { snapshot, size, now, color } = props;
  const stale = props.stale ?? null;
  const { status, run, tell } = useCommandStatus(props.onCommand);
  const context: KeyContext = {
    snapshot,
    capabilities: props.capabilities,
    deployDir: props.deployDir,
    readonly: props.readonly ?? null,
    canGoBack: props.onBack !== undefined,
  };
  const small = tooSmall(size.columns, size.rows);
  // The status line clears when the next key is pressed; a feed notice once it was seen.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const pressed = () => {
    tell(null);
    setDismissed(props.notice ?? null);
  };
  // A page of the containers table, from the last layout (keys arrive between renders).
  const pageRows = useRef(5);
  const state = useScreenState(
    { ...context, tooSmall: small, pageRows: pageRows.current },
    { run, tell, quit: props.onQuit, pressed, logs: (c) => props.onLogs?.(c), back: () => props.onBack?.() },
  );
  const { modal, showHistory, focus } = state;

  if (small) return <TooSmall columns={size.columns} rows={size.rows} />;
  const width = size.columns;
  const notice =
    props.notice && props.notice !== dismissed ? { text: props.notice, level: 'info' as const } : null;
  const statusText =
    props.error !== null ? { text: props.error, level: 'error' as const } : (status ?? notice);
  const statusLine = statusText === null ? null : <StatusLine {...statusText} color={color} />;
  const footer = <Footer context={context} width={width} color={color} modal={modal} />;

  if (snapshot === null) {
    return (
      <Box flexDirection="column" width={width}>
        <Text>waiting for the first snapshot…</Text>
        {statusLine}
        {footer}
      </Box>
    );
  }

  if (modal.kind === 'help') {
    return (
      <Box flexDirection="column" width={width}>
        <HeaderBar snapshot={snapshot} now={now} width={width} banners={0} stale={null} color={color} />
        <HelpOverlay
          lines={helpLines(context, width, modal.from?.kind === 'logs' ? 'logs' : 'screen')}
          top={modal.top}
          height={size.rows - 3}
          color={color}
        />
        {footer}
      </Box>
    );
  }

  const failureOutput = props.failureOutput ?? null;
  const layout = planLayout({
    rows: size.rows,
    banners: bannerLines(snapshot, now, width, failureOutput).length + (stale === null ? 0 : 1),
    containerLines: containerLines(snapshot, width).length,
    // While a dialog or pane is open, the table gives it the room.
    containerRows: modal.kind === 'none' ? Math.max(1, orderedContainers(snapshot).length) : 0,
    inputLines: inputLines(snapshot.inputs, width).length,
    events: snapshot.events.length,
    history: snapshot.history.length,
    historyTotal: snapshot.historyTotal ?? snapshot.history.length,
    showHistory,
    hasStatus: statusText !== null,
  });
  if (layout.tableRows > 0) pageRows.current = layout.tableRows;
  const rows = orderedContainers(snapshot);
  const selected = rows.findIndex((c) => c.id === state.cursor.id);
  const cursor = selected >= 0 ? selected : Math.min(state.cursor.index, Math.max(0, rows.length - 1));

  return (
    <Box flexDirection="column" width={width}>
      <HeaderBar
        snapshot={snapshot}
        now={now}
        width={width}
        banners={layout.banners}
        stale={stale}
        failureOutput={failureOutput}
        color={color}
      />
      <MutedContext.Provider value={stale !== null}>
        <ContainersPanel
          snapshot={snapshot}
          width={width}
          height={layout.containers - (layout.tableRows > 0 ? layout.tableRows + 1 : 0)}
          tableRows={layout.tableRows}
          now={now}
          focused={focus === 'containers'}
          cursor={cursor}
          top={state.cursor.top}
          color={color}
        />
        <InputsPanel inputs={snapshot.inputs} width={width} height={layout.inputs} color={color} />
        {modal.kind === 'none' ? (
          <>
            <ChartPanel
              snapshot={snapshot}
              width={width}
              height={layout.chart}
              now={now}
              series={chartSeries[state.chart] ?? 'ready'}
              color={color}
            />
            <TimelineBar snapshot={snapshot} width={width} now={now} color={color} />
            {layout.historyRows > 0 ? (
              <HistoryPanel
                history={snapshot.history}
                now={now}
                width={width}
                rows={layout.historyRows}
                app={snapshot.app}
                total={
                  layout.historyMore > 0
                    ? (snapshot.historyTotal ?? snapshot.history.length)
                    : layout.historyRows
                }
                focused={focus === 'history'}
                color={color}
              />
            ) : null}
            <EventsPanel
              events={snapshot.events}
              width={width}
              count={layout.events}
              back={state.eventsBack}
              focused={focus === 'events'}
              color={color}
            />
          </>
        ) : (
          <>
            <TimelineBar snapshot={snapshot} width={width} now={now} color={color} />
            {modal.kind === 'logs' ? (
              <LogsPane
                view={
                  props.logs?.container === modal.container
                    ? props.logs
                    : { container: modal.container, lines: [], state: 'following' }
                }
                width={width}
                height={Math.max(2, layout.modal - 1)}
                back={modal.back}
                color={color}
              />
            ) : (
              <ModalDialog
                modal={modal}
                snapshot={snapshot}
                deployDir={props.deployDir}
                now={now}
                width={width}
                height={layout.modal}
                color={color}
              />
            )}
          </>
        )}
      </MutedContext.Provider>
      {statusLine}
      {footer}
    </Box>
  );
}
