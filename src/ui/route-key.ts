// Every key of the watch screen goes through one pure function (Bubble Tea's Update): the view
// state and a keypress in, the next view state and what to do out. Only the open dialog's branch
// sees a key, so a key typed into a dialog never reaches the screen behind it.
import type { UiCommand } from './commands.ts';
import { nextPanel, type Panel } from './focus.ts';
import {
  bindingFor,
  type DialogKeyId,
  dialogKeyFor,
  type KeyContext,
  type KeyId,
  type KeyPress,
  whyDisabled,
} from './keymap.ts';
import { type Modal, modalReducer, noModal } from './modal-state.ts';
import { chartSeries } from './present/chart.ts';
import { orderedContainers, windowTop } from './present/container-table.ts';
import { defaultTargetIndex, rollbackTargets } from './present/rollback-targets.ts';

/** The containers table's selection (by id, so it stays on its container) and its window. */
export interface TableCursor {
  index: number;
  id: string | null;
  top: number;
}

/** The watch screen's own state: the open overlay, the history toggle, the focused panel. */
export interface ScreenState {
  modal: Modal;
  showHistory: boolean;
  focus: Panel;
  cursor: TableCursor;
  /** Events scrolled back from the newest. */
  eventsBack: number;
  /** Which series the chart draws (an index into chartSeries). */
  chart: number;
}

export const initialScreenState: ScreenState = {
  modal: noModal,
  showHistory: false,
  focus: 'containers',
  cursor: { index: 0, id: null, top: 0 },
  eventsBack: 0,
  chart: 0,
};

/** What a key depends on besides the screen's state: the keymap's context and the size. */
export interface RouteContext extends KeyContext {
  /** Below the minimum size nothing is drawn, so only quitting works. */
  tooSmall: boolean;
  /** Rows the containers table shows (a page), from the last layout. */
  pageRows?: number;
}

/** What one keypress did: the next state, and a command to send, a quit or a notice. */
export interface KeyOutcome {
  state: ScreenState;
  command?: UiCommand;
  quit?: boolean;
  /** A refusal for the status line: why a key did nothing. */
  notice?: { text: string; level: 'error' | 'info' };
  /** Start following this container's output (a string), or stop (null). */
  logs?: string | null;
  /** Back to the overview. */
  back?: boolean;
}

const confirmKeys: DialogKeyId[] = ['dialog.cancel', 'dialog.confirm'];

export function routeKey(
  state: ScreenState,
  input: string,
  key: KeyPress,
  context: RouteContext,
): KeyOutcome {
  const binding = bindingFor(input, key);
  // ctrl-c leaves from anywhere, as in any terminal program; q only from the screen itself.
  if (binding?.id === 'app.quit' && key.ctrl === true) return { state, quit: true };
  if (context.tooSmall) return binding?.id === 'app.quit' ? { state, quit: true } : { state };

  const { modal } = state;
  const withModal = (next: Modal): KeyOutcome => ({ state: { ...state, modal: next } });
  const confirmed = (command: UiCommand): KeyOutcome => ({ state: { ...state, modal: noModal }, command });

  switch (modal.kind) {
    case 'none':
      return screenKey(state, input, key, context);
    case 'help': {
      if (binding?.id === 'view.help' || dialogKeyFor(['dialog.cancel'], input, key))
        return withModal(noModal);
      const by = moveBy(binding?.id, Math.max(1, (context.pageRows ?? 5) * 2));
      return by === 0 ? { state } : withModal({ ...modal, top: Math.max(0, modal.top + by) });
    }
    case 'rollback': {
      const dialogKey = dialogKeyFor([...confirmKeys, 'dialog.down', 'dialog.up'], input, key);
      if (dialogKey === 'dialog.cancel') return withModal(noModal);
      if (dialogKey === 'dialog.down') return withModal(modalReducer(modal, { type: 'move', by: 1 }));
      if (dialogKey === 'dialog.up') return withModal(modalReducer(modal, { type: 'move', by: -1 }));
      const to = modal.targets[modal.index];
      if (dialogKey !== 'dialog.confirm' || to === undefined) return { state };
      // A version whose own rollout failed is chosen only with a second confirmation.
      const failed = context.snapshot?.history.find((v) => v.version === to)?.outcome === 'failed';
      if (failed && !modal.warned) return withModal(modalReducer(modal, { type: 'warn' }));
      return confirmed({ id: 'rollout.rollback', to });
    }
    case 'rollover': {
      const dialogKey = dialogKeyFor([...confirmKeys, 'dialog.toggle'], input, key);
      if (dialogKey === 'dialog.cancel') return withModal(noModal);
      if (dialogKey === 'dialog.toggle') return withModal(modalReducer(modal, { type: 'toggle-strategy' }));
      if (dialogKey === 'dialog.confirm')
        return confirmed({ id: 'rollout.rollover', strategy: modal.strategy });
      return { state };
    }
    case 'stop': {
      const dialogKey = dialogKeyFor(['dialog.cancel', 'dialog.submit', 'dialog.erase'], input, key);
      if (dialogKey === 'dialog.cancel') return withModal(noModal);
      // T1: only the app's exact name confirms.
      if (dialogKey === 'dialog.submit')
        return modal.typed === context.snapshot?.app ? confirmed({ id: 'app.stop' }) : { state };
      if (dialogKey === 'dialog.erase') return withModal(modalReducer(modal, { type: 'erase' }));
      if (key.ctrl || key.meta || key.tab || input.length === 0) return { state };
      return withModal(modalReducer(modal, { type: 'type', text: input }));
    }
    case 'deploy': {
      const dialogKey = dialogKeyFor(confirmKeys, input, key);
      if (dialogKey === 'dialog.cancel') return withModal(noModal);
      if (dialogKey === 'dialog.confirm') return confirmed({ id: 'app.deploy' });
      return { state };
    }
    case 'logs': {
      if (dialogKeyFor(['dialog.cancel'], input, key))
        return { state: { ...state, modal: noModal }, logs: null };
      const by = moveBy(binding?.id, Math.max(1, (context.pageRows ?? 5) * 2));
      if (by === 0) return { state };
      return withModal({ ...modal, back: Math.max(0, modal.back - by) });
    }
  }
}

/** How far a navigation key moves: +1 down, -1 up, a page for PgDn/PgUp; 0 for other keys. */
function moveBy(id: KeyId | undefined, page: number): number {
  switch (id) {
    case 'view.down':
      return 1;
    case 'view.up':
      return -1;
    case 'view.pageDown':
      return page;
    case 'view.pageUp':
      return -page;
    default:
      return 0;
  }
}

/** Moves the containers table's selection by `by` rows, keeping the selection in its window. */
function moveCursor(state: ScreenState, by: number, context: RouteContext): ScreenState {
  const rows = context.snapshot === null ? [] : orderedContainers(context.snapshot);
  if (rows.length === 0) return state;
  const at = rows.findIndex((c) => c.id === state.cursor.id);
  const from = at >= 0 ? at : Math.min(state.cursor.index, rows.length - 1);
  const index = Math.min(rows.length - 1, Math.max(0, from + by));
  const top = windowTop(state.cursor.top, index, Math.max(1, context.pageRows ?? 5), rows.length);
  return { ...state, cursor: { index, id: rows[index]!.id, top } };
}

/** The container the table's selection is on, if any. */
export function selectedContainer(state: ScreenState, context: KeyContext): string | null {
  const rows = context.snapshot === null ? [] : orderedContainers(context.snapshot);
  if (rows.length === 0) return null;
  const at = rows.findIndex((c) => c.id === state.cursor.id);
  return rows[at >= 0 ? at : Math.min(state.cursor.index, rows.length - 1)]!.id;
}

/** No dialog open: the keymap decides, and a disabled binding says why instead of acting. */
function screenKey(state: ScreenState, input: string, key: KeyPress, context: RouteContext): KeyOutcome {
  const binding = bindingFor(input, key);
  if (binding === undefined) {
    // A printable key that does nothing says so, and where to look.
    const printable = [...input].length === 1 && !key.ctrl && !key.meta && input >= ' ';
    return printable
      ? { state, notice: { text: `${input}: no such key here; ? lists the keys`, level: 'info' } }
      : { state };
  }
  const reason = whyDisabled(binding, context);
  // esc where there is nothing to go back to is a habit, not a mistake: it stays quiet.
  if (reason !== null && binding.id === 'view.back') return { state };
  if (reason !== null) return { state, notice: { text: `${binding.label}: ${reason}`, level: 'error' } };
  return act(state, binding.id, context);
}

function act(state: ScreenState, id: KeyId, context: RouteContext): KeyOutcome {
  const open = (modal: Modal): KeyOutcome => ({ state: { ...state, modal } });
  const { snapshot } = context;
  switch (id) {
    case 'app.quit':
      return { state, quit: true };
    case 'view.back':
      return { state, back: true };
    case 'view.help':
      return open({ kind: 'help', top: 0 });
    case 'view.history': {
      const showHistory = !state.showHistory;
      // The history panel loses the focus when it is hidden.
      const focus = !showHistory && state.focus === 'history' ? 'events' : state.focus;
      return { state: { ...state, showHistory, focus } };
    }
    case 'view.focus':
      return { state: { ...state, focus: nextPanel(state.focus, state.showHistory) } };
    case 'view.chart':
      return { state: { ...state, chart: (state.chart + 1) % chartSeries.length } };
    case 'view.down':
    case 'view.up':
    case 'view.pageDown':
    case 'view.pageUp': {
      const by = moveBy(id, Math.max(1, context.pageRows ?? 5));
      if (state.focus === 'events')
        return { state: { ...state, eventsBack: Math.max(0, state.eventsBack - by) } };
      return { state: moveCursor(state, by, context) };
    }
    case 'view.logs': {
      const container = selectedContainer(state, context);
      if (container === null) return { state };
      return { state: { ...state, modal: { kind: 'logs', container, back: 0 } }, logs: container };
    }
  }
  // The rest act on the app; their disabledReason already refused a missing snapshot.
  if (snapshot === null) return { state };
  switch (id) {
    case 'rollout.rollback': {
      // The targets are captured now, so a new snapshot does not move the choice.
      const targets = rollbackTargets(snapshot);
      return open(
        modalReducer(noModal, {
          type: 'open-rollback',
          targets: targets.map((v) => v.version),
          index: defaultTargetIndex(snapshot, targets),
        }),
      );
    }
    case 'rollout.rollover':
      return open(
        modalReducer(noModal, {
          type: 'open-rollover',
          strategy: snapshot.strategy,
          strategies: context.capabilities.strategies,
        }),
      );
    case 'app.stop':
      return open(modalReducer(noModal, { type: 'open-stop' }));
    case 'rollout.pause':
      // Not destructive: nothing is replaced or lost, so no confirmation (P1).
      return { state, command: { id: snapshot.paused ? 'rollout.resume' : 'rollout.pause' } };
    case 'app.deploy':
      return open(modalReducer(noModal, { type: 'open-deploy' }));
  }
}
