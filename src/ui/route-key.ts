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
} from './keymap.ts';
import { type Modal, modalReducer, noModal } from './modal-state.ts';
import { defaultTargetIndex, rollbackTargets } from './present/rollback-targets.ts';

/** The watch screen's own state: the open overlay, the history toggle, the focused panel. */
export interface ScreenState {
  modal: Modal;
  showHistory: boolean;
  focus: Panel;
}

export const initialScreenState: ScreenState = { modal: noModal, showHistory: false, focus: 'containers' };

/** What a key depends on besides the screen's state: the keymap's context and the size. */
export interface RouteContext extends KeyContext {
  /** Below the minimum size nothing is drawn, so only quitting works. */
  tooSmall: boolean;
}

/** What one keypress did: the next state, and a command to send, a quit or a notice. */
export interface KeyOutcome {
  state: ScreenState;
  command?: UiCommand;
  quit?: boolean;
  /** A refusal for the status line: why a key did nothing. */
  notice?: { text: string; level: 'error' };
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
    case 'help':
      if (binding?.id === 'view.help' || dialogKeyFor(['dialog.cancel'], input, key))
        return withModal(noModal);
      return { state };
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
  }
}

/** No dialog open: the keymap decides, and a disabled binding says why instead of acting. */
function screenKey(state: ScreenState, input: string, key: KeyPress, context: RouteContext): KeyOutcome {
  const binding = bindingFor(input, key);
  if (binding === undefined) return { state };
  const reason = binding.disabledReason(context);
  if (reason !== null) return { state, notice: { text: `${binding.label}: ${reason}`, level: 'error' } };
  return act(state, binding.id, context);
}

function act(state: ScreenState, id: KeyId, context: RouteContext): KeyOutcome {
  const open = (modal: Modal): KeyOutcome => ({ state: { ...state, modal } });
  const { snapshot } = context;
  switch (id) {
    case 'app.quit':
      return { state, quit: true };
    case 'view.help':
      return open({ kind: 'help' });
    case 'view.history': {
      const showHistory = !state.showHistory;
      // The history panel loses the focus when it is hidden.
      const focus = !showHistory && state.focus === 'history' ? 'events' : state.focus;
      return { state: { ...state, showHistory, focus } };
    }
    case 'view.focus':
      return { state: { ...state, focus: nextPanel(state.focus, state.showHistory) } };
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
    case 'app.deploy':
      return open(modalReducer(noModal, { type: 'open-deploy' }));
  }
}
