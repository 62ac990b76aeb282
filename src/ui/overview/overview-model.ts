// The overview without a UI library: its state (cursor, filter, help), the keys that change it
// (routeOverviewKey) and its frame of lines, as the watch screen's model. The terminal draws
// `frame` whenever the targets answer, the clock ticks or a key changed something.
import { splitKeys } from '../key-events.ts';
import type { KeyPress } from '../keymap.ts';
import { lineAnsi } from '../present/ansi.ts';
import { tooSmall } from '../present/layout.ts';
import type { OverviewData } from './overview-feed.ts';
import { type OverviewFrame, overviewFrame } from './overview-frame.ts';
import { initialOverviewState, type OverviewState, routeOverviewKey } from './overview-keys.ts';
import type { OverviewRow } from './overview-rows.ts';

/** What the overview is shown at one moment. */
export interface OverviewView {
  data: OverviewData | null;
  /** How many targets the overview reads. */
  targets: number;
  size: { columns: number; rows: number };
  now: number;
  color: boolean;
}

export interface OverviewModelOptions {
  /** Where the cursor and filter were, when the overview comes back from an app's screen. */
  initial?: OverviewState;
  onOpen: (row: OverviewRow) => void;
  onQuit: () => void;
  /** The state after every key, to come back to. */
  onState?: (state: OverviewState) => void;
  /** A key changed what is shown: draw it again. */
  changed: () => void;
}

export interface OverviewModel {
  key(input: string, key: KeyPress): void;
  frame(view: OverviewView): string[];
}

export function overviewModel(o: OverviewModelOptions): OverviewModel {
  let state = o.initial ?? initialOverviewState;
  // The last frame: keys move through the rows it listed.
  let shown: OverviewFrame | null = null;
  return {
    key(input, key) {
      for (const press of splitKeys(input, key)) {
        const rows = shown?.rows ?? [];
        const outcome = routeOverviewKey(state, press.input, press.key, rows.length, shown?.page ?? 1);
        state = outcome.state;
        if (outcome.quit) return o.onQuit();
        if (outcome.open !== undefined) {
          o.onState?.(state);
          const row = rows[outcome.open];
          if (row !== undefined) o.onOpen(row);
          return;
        }
      }
      o.onState?.(state);
      o.changed();
    },
    frame(view) {
      shown = overviewFrame({ ...view, state });
      const color = view.color && !tooSmall(view.size.columns, view.size.rows);
      return shown.lines.map((line) => lineAnsi(line, color));
    },
  };
}
