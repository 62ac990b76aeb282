// The watch screen's root: lays the panels out for the terminal size and owns the one input
// handler (useScreenState → routeKey). It renders only what the Snapshot says.
import { Box, Text } from 'ink';
import { useState } from 'react';
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
import { ModalDialog } from './components/ModalDialog.tsx';
import { StatusLine } from './components/StatusLine.tsx';
import { TimelineBar } from './components/TimelineBar.tsx';
import { TooSmall } from './components/TooSmall.tsx';
import { MutedContext } from './components/theme.ts';
import type { KeyContext } from './keymap.ts';
import { containerLines } from './present/containers.ts';
import { bannerLines, type Stale } from './present/header.ts';
import { helpLines } from './present/help.ts';
import { inputLines } from './present/inputs.ts';
import { planLayout, tooSmall } from './present/layout.ts';
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
}

export function WatchScreen(props: WatchScreenProps) {
  const { snapshot, size, now, color } = props;
  const stale = props.stale ?? null;
  const { status, run, tell } = useCommandStatus(props.onCommand);
  const context: KeyContext = { snapshot, capabilities: props.capabilities, deployDir: props.deployDir };
  const small = tooSmall(size.columns, size.rows);
  // The status line clears when the next key is pressed; a feed notice once it was seen.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const pressed = () => {
    tell(null);
    setDismissed(props.notice ?? null);
  };
  const { modal, showHistory, focus } = useScreenState(
    { ...context, tooSmall: small },
    { run, tell, quit: props.onQuit, pressed },
  );

  if (small) return <TooSmall columns={size.columns} rows={size.rows} />;
  const width = size.columns;
  const notice =
    props.notice && props.notice !== dismissed ? { text: props.notice, level: 'info' as const } : null;
  const statusText =
    props.error !== null ? { text: props.error, level: 'error' as const } : (status ?? notice);
  const statusLine = statusText === null ? null : <StatusLine {...statusText} color={color} />;
  const footer = <Footer context={context} width={width} color={color} />;

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
        <HelpOverlay lines={helpLines(context, width)} color={color} />
        {footer}
      </Box>
    );
  }

  const layout = planLayout({
    rows: size.rows,
    banners: bannerLines(snapshot, now, width).length + (stale === null ? 0 : 1),
    containerLines: containerLines(snapshot, width).length,
    inputLines: inputLines(snapshot.inputs, width).length,
    events: snapshot.events.length,
    history: snapshot.history.length,
    historyTotal: snapshot.historyTotal ?? snapshot.history.length,
    showHistory,
    hasStatus: statusText !== null,
  });

  return (
    <Box flexDirection="column" width={width}>
      <HeaderBar
        snapshot={snapshot}
        now={now}
        width={width}
        banners={layout.banners}
        stale={stale}
        color={color}
      />
      <MutedContext.Provider value={stale !== null}>
        <ContainersPanel
          snapshot={snapshot}
          width={width}
          height={layout.containers}
          focused={focus === 'containers'}
          color={color}
        />
        <InputsPanel inputs={snapshot.inputs} width={width} height={layout.inputs} color={color} />
        {modal.kind === 'none' ? (
          <>
            <ChartPanel snapshot={snapshot} width={width} height={layout.chart} now={now} color={color} />
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
              focused={focus === 'events'}
              color={color}
            />
          </>
        ) : (
          <>
            <TimelineBar snapshot={snapshot} width={width} now={now} color={color} />
            <ModalDialog
              modal={modal}
              snapshot={snapshot}
              deployDir={props.deployDir}
              now={now}
              width={width}
              height={layout.modal}
              color={color}
            />
          </>
        )}
      </MutedContext.Provider>
      {statusLine}
      {footer}
    </Box>
  );
}
