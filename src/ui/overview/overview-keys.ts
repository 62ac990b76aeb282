// The overview's keys, and what a keypress does to its state: one pure function (as the watch
// screen's routeKey), its keys generated into the footer, the help and `cutover help watch`.
import { bindingById, type KeyPress, type KeyStroke, strokeMatches } from '../keymap.ts';
import { windowTop } from '../present/container-table.ts';

export type OverviewKeyId =
  | 'overview.open'
  | 'overview.filter'
  | 'overview.clear'
  | 'view.down'
  | 'view.up'
  | 'view.pageDown'
  | 'view.pageUp'
  | 'view.help'
  | 'app.quit';

/** One key of the overview. */
export interface OverviewBinding {
  id: OverviewKeyId;
  keys: KeyStroke[];
  label: string;
  description: string;
  /** Listed in the footer (the moving keys are only in the help). */
  inFooter: boolean;
}

const shared = (id: 'view.down' | 'view.up' | 'view.pageDown' | 'view.pageUp' | 'view.help' | 'app.quit') => {
  const b = bindingById(id);
  return { keys: b.keys, label: b.label };
};

export const overviewKeymap: readonly OverviewBinding[] = [
  {
    id: 'overview.open',
    keys: [{ display: 'enter', named: 'return' }],
    label: 'open',
    description: "Open the selected app's screen (esc there comes back here)",
    inFooter: true,
  },
  {
    id: 'overview.filter',
    keys: [{ display: '/', input: '/' }],
    label: 'filter',
    description: 'Filter by app, target or state: type, then enter',
    inFooter: true,
  },
  {
    id: 'overview.clear',
    keys: [{ display: 'esc', named: 'escape' }],
    label: 'clear filter',
    description: 'Clear the filter',
    inFooter: false,
  },
  { id: 'view.down', ...shared('view.down'), description: 'Select the next app', inFooter: false },
  { id: 'view.up', ...shared('view.up'), description: 'Select the previous app', inFooter: false },
  { id: 'view.pageDown', ...shared('view.pageDown'), description: 'One page down', inFooter: false },
  { id: 'view.pageUp', ...shared('view.pageUp'), description: 'One page up', inFooter: false },
  { id: 'view.help', ...shared('view.help'), description: 'Show or hide this help', inFooter: true },
  { id: 'app.quit', ...shared('app.quit'), description: 'Quit (no app is touched)', inFooter: true },
];

/** The overview's own state. */
export interface OverviewState {
  cursor: number;
  top: number;
  filter: string;
  /** True while the filter is being typed. */
  editing: boolean;
  help: boolean;
}

export const initialOverviewState: OverviewState = {
  cursor: 0,
  top: 0,
  filter: '',
  editing: false,
  help: false,
};

export interface OverviewOutcome {
  state: OverviewState;
  /** The index (in the filtered rows) to open. */
  open?: number;
  quit?: boolean;
}

function bindingFor(input: string, key: KeyPress): OverviewBinding | undefined {
  return overviewKeymap.find((b) => b.keys.some((s) => strokeMatches(s, input, key)));
}

export function routeOverviewKey(
  state: OverviewState,
  input: string,
  key: KeyPress,
  rows: number,
  page: number,
): OverviewOutcome {
  if (key.ctrl && input === 'c') return { state, quit: true };
  if (state.editing) {
    if (key.return) return { state: { ...state, editing: false, cursor: 0, top: 0 } };
    if (key.escape) return { state: { ...state, editing: false, filter: '', cursor: 0, top: 0 } };
    if (key.backspace || key.delete) return { state: { ...state, filter: state.filter.slice(0, -1) } };
    if (key.ctrl || key.meta || input === '' || input < ' ') return { state };
    return { state: { ...state, filter: state.filter + input, cursor: 0, top: 0 } };
  }
  const binding = bindingFor(input, key);
  if (state.help) {
    return binding?.id === 'view.help' || key.escape ? { state: { ...state, help: false } } : { state };
  }
  const move = (by: number): OverviewOutcome => {
    const cursor = Math.max(0, Math.min(rows - 1, state.cursor + by));
    return { state: { ...state, cursor, top: windowTop(state.top, cursor, page, rows) } };
  };
  switch (binding?.id) {
    case 'app.quit':
      return { state, quit: true };
    case 'view.help':
      return { state: { ...state, help: true } };
    case 'overview.filter':
      return { state: { ...state, editing: true } };
    case 'overview.clear':
      return { state: { ...state, filter: '', cursor: 0, top: 0 } };
    case 'view.down':
      return move(1);
    case 'view.up':
      return move(-1);
    case 'view.pageDown':
      return move(page);
    case 'view.pageUp':
      return move(-page);
    case 'overview.open':
      return rows > 0 ? { state, open: Math.min(state.cursor, rows - 1) } : { state };
    default:
      return { state };
  }
}
