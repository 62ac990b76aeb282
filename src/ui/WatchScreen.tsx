// The watch screen's root: lays the panels out for the terminal size and wires keys to the
// modal reducer, the focus and the command status. It renders only what the Snapshot says.
import { Box, Text } from 'ink';
import { useCallback, useReducer, useState } from 'react';
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
import { bindingById, type KeyContext, type KeyId } from './keymap.ts';
import { modalReducer, noModal } from './modal-state.ts';
import { containerLines } from './present/containers.ts';
import { bannerLines } from './present/header.ts';
import { helpLines } from './present/help.ts';
import { inputLines } from './present/inputs.ts';
import { planLayout, tooSmall } from './present/layout.ts';
import { rollbackTargets } from './present/rollback-targets.ts';
import { useCommandStatus } from './use-command-status.ts';
import { useFocus } from './use-focus.ts';
import { useScreenKeys } from './use-screen-keys.ts';

/** Everything the watch screen is given; it owns only view state (dialogs, focus, toggles). */
export interface WatchScreenProps {
  snapshot: Snapshot | null;
  /** The feed's error, if it broke. */
  error: string | null;
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
  const [modal, dispatch] = useReducer(modalReducer, noModal);
  const [showHistory, setShowHistory] = useState(false);
  const { focus, next } = useFocus(showHistory);
  const { status, run, tell } = useCommandStatus(props.onCommand);
  const context: KeyContext = { snapshot, capabilities: props.capabilities, deployDir: props.deployDir };

  const act = (id: KeyId) => {
    if (id === 'app.quit') props.onQuit();
    else if (id === 'view.help') dispatch({ type: 'open-help' });
    else if (id === 'view.history') setShowHistory((shown) => !shown);
    else if (id === 'view.focus') next();
    else if (snapshot === null) return;
    else if (id === 'rollout.rollback')
      dispatch({ type: 'open-rollback', targets: rollbackTargets(snapshot).map((v) => v.version) });
    else if (id === 'rollout.rollover') dispatch({ type: 'open-rollover', strategy: snapshot.strategy });
    else if (id === 'app.stop') dispatch({ type: 'open-stop' });
    else if (id === 'app.deploy') dispatch({ type: 'open-deploy' });
  };
  const refuse = (id: KeyId, reason: string) =>
    tell({ text: `${bindingById(id).label}: ${reason}`, level: 'error' });
  useScreenKeys(context, modal.kind === 'none' && !tooSmall(size.columns, size.rows), act, refuse);

  const close = useCallback(() => dispatch({ type: 'close' }), []);
  const confirm = useCallback(
    (command: UiCommand) => {
      dispatch({ type: 'close' });
      run(command);
    },
    [run],
  );

  if (tooSmall(size.columns, size.rows)) return <TooSmall columns={size.columns} rows={size.rows} />;
  const width = size.columns;
  const statusText = props.error !== null ? { text: props.error, level: 'error' as const } : status;
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
        <HeaderBar snapshot={snapshot} now={now} width={width} banners={0} color={color} />
        <HelpOverlay lines={helpLines(context, width)} color={color} isActive onClose={close} />
        {footer}
      </Box>
    );
  }

  const layout = planLayout({
    rows: size.rows,
    banners: bannerLines(snapshot, now, width).length,
    containerLines: containerLines(snapshot, width).length,
    inputLines: inputLines(snapshot.inputs, width).length,
    events: snapshot.events.length,
    history: snapshot.history.length,
    showHistory,
    hasStatus: statusText !== null,
  });

  return (
    <Box flexDirection="column" width={width}>
      <HeaderBar snapshot={snapshot} now={now} width={width} banners={layout.banners} color={color} />
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
            dispatch={dispatch}
            onConfirm={confirm}
            onCancel={close}
          />
        </>
      )}
      {statusLine}
      {footer}
    </Box>
  );
}
