// What overlays the screen right now: nothing, help, or one confirmation dialog. One reducer,
// so at most one of them is open and only it hears keys.
/** The open overlay and its own state. */
export type Modal =
  | { kind: 'none' }
  /**
   * `top`: the first help line shown, when the help is taller than the screen; `from`: the pane
   * it was opened from (the logs pane), which it returns to.
   */
  | { kind: 'help'; top: number; from?: Modal }
  /**
   * `targets` are captured when the dialog opens, so a new snapshot does not move the choice;
   * `warned` once a failed target was confirmed once (the second confirmation sends it).
   */
  | { kind: 'rollback'; targets: number[]; index: number; warned: boolean }
  /** `strategies` are the platform's (capabilities); empty when the platform's own setting decides. */
  | { kind: 'rollover'; strategy: string | undefined; strategies: string[] }
  | { kind: 'stop'; typed: string }
  | { kind: 'deploy' }
  /** A container's output, following; `back` lines scrolled up from the newest (0 follows). */
  | { kind: 'logs'; container: string; back: number };

export type ModalAction =
  | { type: 'open-help' }
  | { type: 'open-rollback'; targets: number[]; index: number }
  | { type: 'warn' }
  | { type: 'open-rollover'; strategy: string; strategies: string[] }
  | { type: 'open-stop' }
  | { type: 'open-deploy' }
  | { type: 'move'; by: number }
  | { type: 'toggle-strategy' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'close' };

export const noModal: Modal = { kind: 'none' };

export function modalReducer(modal: Modal, action: ModalAction): Modal {
  switch (action.type) {
    case 'open-help':
      return { kind: 'help', top: 0 };
    case 'open-rollback':
      return { kind: 'rollback', targets: action.targets, index: action.index, warned: false };
    case 'open-rollover':
      return {
        kind: 'rollover',
        strategy: action.strategies.includes(action.strategy) ? action.strategy : action.strategies[0],
        strategies: action.strategies,
      };
    case 'open-stop':
      return { kind: 'stop', typed: '' };
    case 'open-deploy':
      return { kind: 'deploy' };
    case 'close':
      return noModal;
    case 'move': {
      if (modal.kind !== 'rollback' || modal.targets.length === 0) return modal;
      const index = Math.min(modal.targets.length - 1, Math.max(0, modal.index + action.by));
      return { ...modal, index, warned: false };
    }
    case 'warn': {
      if (modal.kind !== 'rollback') return modal;
      return { ...modal, warned: true };
    }
    case 'toggle-strategy': {
      if (modal.kind !== 'rollover' || modal.strategies.length === 0) return modal;
      const at = modal.strategy === undefined ? -1 : modal.strategies.indexOf(modal.strategy);
      return { ...modal, strategy: modal.strategies[(at + 1) % modal.strategies.length] };
    }
    case 'type':
      if (modal.kind !== 'stop') return modal;
      return { ...modal, typed: modal.typed + action.text };
    case 'erase':
      if (modal.kind !== 'stop') return modal;
      return { ...modal, typed: modal.typed.slice(0, -1) };
  }
}
