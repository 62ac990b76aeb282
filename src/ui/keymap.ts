// The one keymap: the footer, the help overlay and the README's key table are generated from it.
import { type Action, type Capabilities, unavailableReason } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';
import { orderedContainers } from './present/container-table.ts';
import { rollbackTargets } from './present/rollback-targets.ts';

/** What a key's availability depends on right now. */
export interface KeyContext {
  snapshot: Snapshot | null;
  capabilities: Capabilities;
  deployDir: string | null;
  /** Why this screen may change nothing (`target prod is read-only`), or absent when it may. */
  readonly?: string | null;
  /** The screen was opened from the overview: esc goes back to it. */
  canGoBack?: boolean;
}

/** The subset of Ink's `Key` the keymap reads. */
export interface KeyPress {
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  tab?: boolean;
  escape?: boolean;
  return?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  backspace?: boolean;
  delete?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

/** A key that has a name rather than a printable input. */
export type NamedKey =
  | 'tab'
  | 'escape'
  | 'return'
  | 'upArrow'
  | 'downArrow'
  | 'leftArrow'
  | 'rightArrow'
  | 'backspace'
  | 'delete'
  | 'pageUp'
  | 'pageDown';

/** One way to press a binding: a printable input or a named key, and how help shows it. */
export interface KeyStroke {
  display: string;
  input?: string;
  ctrl?: boolean;
  named?: NamedKey;
}

export type KeyId =
  | 'rollout.rollback'
  | 'rollout.pause'
  | 'rollout.rollover'
  | 'app.stop'
  | 'app.deploy'
  | 'view.history'
  | 'view.chart'
  | 'view.down'
  | 'view.up'
  | 'view.pageDown'
  | 'view.pageUp'
  | 'view.logs'
  | 'view.focus'
  | 'view.help'
  | 'view.back'
  | 'app.quit';

/** One command of the watch screen. */
export interface KeyBinding {
  id: KeyId;
  keys: KeyStroke[];
  /** Short label for the footer. */
  label: string;
  /** The label when it depends on the app (`resume` while paused). */
  labelFor?: (context: KeyContext) => string;
  description: string;
  /** Asks for confirmation before it changes anything. */
  dangerous: boolean;
  /** Changes the app: a read-only screen hides it and refuses it (k9s's --readonly). */
  changes?: boolean;
  /** False for keys only the help lists (moving the selection): the footer has no room for them. */
  inFooter?: boolean;
  /** Why the binding does nothing right now, or null when it applies. */
  disabledReason: (context: KeyContext) => string | null;
}

function appReason(context: KeyContext, action: Action): string | null {
  const { snapshot } = context;
  if (snapshot === null) return 'no snapshot yet';
  const unavailable = unavailableReason(context.capabilities, action);
  if (unavailable !== null) return unavailable;
  if (snapshot.status === 'stopped') return 'app is stopped';
  return null;
}

const always = (): null => null;

/** Every key of the watch screen, in footer order. */
export const keymap: readonly KeyBinding[] = [
  {
    id: 'rollout.rollback',
    changes: true,
    keys: [{ display: 'r', input: 'r' }],
    label: 'rollback',
    description: 'Roll back to the previous version, or pick an earlier one',
    dangerous: true,
    disabledReason: (context) => {
      const reason = appReason(context, 'rollback');
      if (reason !== null) return reason;
      return rollbackTargets(context.snapshot!).length === 0 ? 'no earlier version' : null;
    },
  },
  {
    id: 'rollout.rollover',
    changes: true,
    keys: [{ display: 'o', input: 'o' }],
    label: 'rollover',
    description: 'Replace every container with the same spec (rolling or recreate)',
    dangerous: true,
    disabledReason: (context) => {
      const reason = appReason(context, 'rollover');
      if (reason !== null) return reason;
      return context.snapshot!.version === null ? 'no active version' : null;
    },
  },
  {
    id: 'rollout.pause',
    changes: true,
    keys: [{ display: 'p', input: 'p' }],
    label: 'pause',
    labelFor: (context) => (context.snapshot?.paused ? 'resume' : 'pause'),
    description: 'Pause the rolling rollout in progress (nothing starts or drains), or resume it',
    dangerous: false,
    disabledReason: (context) => {
      const reason = appReason(context, 'pause');
      if (reason !== null) return reason;
      const rollout = context.snapshot!.rollout;
      if (rollout === null) return 'no rollout in progress';
      return rollout.strategy === 'recreate' && !context.snapshot!.paused
        ? 'a recreate cannot be paused'
        : null;
    },
  },
  {
    id: 'app.stop',
    changes: true,
    keys: [{ display: 's', input: 's' }],
    label: 'stop',
    description: "Stop the app for good (type the app's name to confirm)",
    dangerous: true,
    disabledReason: (context) => appReason(context, 'stop'),
  },
  {
    id: 'app.deploy',
    changes: true,
    keys: [{ display: 'd', input: 'd' }],
    label: 'deploy',
    description: 'Deploy again from the app directory',
    dangerous: true,
    disabledReason: (context) => {
      if (context.deployDir === null) return 'not a local app';
      const reason = appReason(context, 'deploy');
      // A stopped app's name can be deployed again: that creates a new app (T1).
      return reason === 'app is stopped' ? null : reason;
    },
  },
  {
    id: 'view.logs',
    keys: [
      { display: 'l', input: 'l' },
      { display: 'enter', named: 'return' },
    ],
    label: 'logs',
    description: "Open the selected container's output, following it (esc closes)",
    dangerous: false,
    disabledReason: (context) => {
      if (context.snapshot === null) return 'no snapshot yet';
      const unavailable = unavailableReason(context.capabilities, 'logs');
      if (unavailable !== null) return unavailable;
      return orderedContainers(context.snapshot).length === 0 ? 'no containers' : null;
    },
  },
  {
    id: 'view.history',
    keys: [{ display: 'h', input: 'h' }],
    label: 'history',
    description: 'Show or hide the history table',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.chart',
    keys: [{ display: 'c', input: 'c' }],
    label: 'chart',
    description: 'Chart the next series: ready per version, queued, done/s, failed/s, p95',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.down',
    inFooter: false,
    keys: [
      { display: 'j', input: 'j' },
      { display: '↓', named: 'downArrow' },
    ],
    label: 'down',
    description: 'Select the next container (or scroll the focused panel)',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.up',
    inFooter: false,
    keys: [
      { display: 'k', input: 'k' },
      { display: '↑', named: 'upArrow' },
    ],
    label: 'up',
    description: 'Select the previous container (or scroll the focused panel)',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.pageDown',
    inFooter: false,
    keys: [{ display: 'pgdn', named: 'pageDown' }],
    label: 'page down',
    description: 'One page down in the focused panel',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.pageUp',
    inFooter: false,
    keys: [{ display: 'pgup', named: 'pageUp' }],
    label: 'page up',
    description: 'One page up in the focused panel',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.focus',
    keys: [{ display: 'tab', named: 'tab' }],
    label: 'focus',
    description: 'Move the focus to the next panel',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.help',
    keys: [{ display: '?', input: '?' }],
    label: 'help',
    description: 'Show or hide this help',
    dangerous: false,
    disabledReason: always,
  },
  {
    id: 'view.back',
    keys: [{ display: 'esc', named: 'escape' }],
    label: 'overview',
    description: 'Back to the overview of every app (when opened from it)',
    dangerous: false,
    disabledReason: (context) => (context.canGoBack ? null : 'not opened from the overview'),
  },
  {
    id: 'app.quit',
    keys: [
      { display: 'q', input: 'q' },
      { display: 'ctrl-c', input: 'c', ctrl: true },
    ],
    label: 'quit',
    description: 'Quit the watch screen (the app keeps running)',
    dangerous: false,
    disabledReason: always,
  },
];

/** The keys of the confirmation dialogs; each dialog listens to the ids it names. */
export type DialogKeyId =
  | 'dialog.confirm'
  | 'dialog.submit'
  | 'dialog.cancel'
  | 'dialog.down'
  | 'dialog.up'
  | 'dialog.toggle'
  | 'dialog.erase';

/** A key inside a dialog: its strokes and the hint the dialog shows for it. */
export interface DialogKeyBinding {
  id: DialogKeyId;
  keys: KeyStroke[];
  /** What the dialog's hint line says the key does: `enter or y confirms`. */
  hint: string;
}

/** Every key the dialogs hear; their hint lines are generated from it. */
export const dialogKeymap: readonly DialogKeyBinding[] = [
  {
    id: 'dialog.confirm',
    keys: [
      { display: 'enter', named: 'return' },
      { display: 'y', input: 'y' },
    ],
    hint: 'confirms',
  },
  // Where letters are typed (the stop dialog), only enter confirms.
  { id: 'dialog.submit', keys: [{ display: 'enter', named: 'return' }], hint: 'confirms' },
  { id: 'dialog.cancel', keys: [{ display: 'esc', named: 'escape' }], hint: 'cancels' },
  {
    id: 'dialog.down',
    keys: [
      { display: 'j', input: 'j' },
      { display: '↓', named: 'downArrow' },
    ],
    hint: 'older',
  },
  {
    id: 'dialog.up',
    keys: [
      { display: 'k', input: 'k' },
      { display: '↑', named: 'upArrow' },
    ],
    hint: 'newer',
  },
  {
    id: 'dialog.toggle',
    keys: [
      { display: '←', named: 'leftArrow' },
      { display: '→', named: 'rightArrow' },
      { display: 'tab', named: 'tab' },
    ],
    hint: 'chooses',
  },
  {
    id: 'dialog.erase',
    keys: [
      { display: 'backspace', named: 'backspace' },
      { display: 'delete', named: 'delete' },
    ],
    hint: 'erases',
  },
];

export function strokeMatches(stroke: KeyStroke, input: string, key: KeyPress): boolean {
  if (stroke.named !== undefined) return key[stroke.named] === true;
  if (Boolean(stroke.ctrl) !== Boolean(key.ctrl)) return false;
  return stroke.input === input;
}

/** Whether a read-only screen hides the binding (it changes the app). */
export function hiddenBy(binding: KeyBinding, context: KeyContext): boolean {
  return binding.changes === true && Boolean(context.readonly);
}

/** Why the binding does nothing now: read-only first, then its own reason; null when it applies. */
export function whyDisabled(binding: KeyBinding, context: KeyContext): string | null {
  if (hiddenBy(binding, context)) return `read-only: ${context.readonly}`;
  return binding.disabledReason(context);
}

/** The binding a keypress selects, if any. */
export function bindingFor(input: string, key: KeyPress): KeyBinding | undefined {
  return keymap.find((b) => b.keys.some((s) => strokeMatches(s, input, key)));
}

/** The first of the dialog keys `ids` that a keypress selects, if any. */
export function dialogKeyFor(
  ids: readonly DialogKeyId[],
  input: string,
  key: KeyPress,
): DialogKeyId | undefined {
  return dialogKeymap.find((b) => ids.includes(b.id) && b.keys.some((s) => strokeMatches(s, input, key)))?.id;
}

/** `enter or y confirms`: a dialog key's hint, from its strokes (distinct displays only). */
export function dialogHint(id: DialogKeyId): string {
  const binding = dialogKeymap.find((b) => b.id === id);
  if (binding === undefined) throw new Error(`no dialog key ${id}`);
  return `${binding.keys.map((k) => k.display).join(' or ')} ${binding.hint}`;
}

export function bindingById(id: KeyId): KeyBinding {
  const binding = keymap.find((b) => b.id === id);
  if (binding === undefined) throw new Error(`no key binding ${id}`);
  return binding;
}

/** `q / ctrl-c` */
export function keysLabel(binding: KeyBinding): string {
  return binding.keys.map((k) => k.display).join(' / ');
}

/** The README's key table, as Markdown. */
export function keyTableMarkdown(): string {
  const rows = keymap.map((b) => {
    const keys = b.keys.map((k) => `\`${k.display}\``).join(', ');
    return `| ${keys} | \`${b.id}\` | ${b.description} | ${b.dangerous ? 'yes' : 'no'} |`;
  });
  return ['| Keys | Command | What it does | Confirms |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
