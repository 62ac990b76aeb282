// The watch screen's panels that need more than one presentation function: the open dialog in
// its frame, the history table under its title, the events under theirs, the help in the height
// it has. Each returns the lines the panel takes, already fitted to its room.
import type { Snapshot } from '../../engine/snapshot.ts';
import type { Modal } from '../modal-state.ts';
import { framed, ruledTable } from './boxes.ts';
import { deployDialogLines, rollbackDialogLines, rolloverDialogLines, stopDialogLines } from './dialogs.ts';
import { eventLines } from './events.ts';
import { historyColumnsFor, historyMoreLine, historyRows } from './history.ts';
import { type Line, seg } from './line.ts';

/** A panel's title; `▸` marks the focused panel. */
export function panelTitle(title: string, focused: boolean): Line {
  return [seg(`${focused ? '▸ ' : ''}${title}`, focused ? 'titleFocus' : 'title')];
}

/** What a dialog needs besides the snapshot. */
export interface DialogRoom {
  now: number;
  width: number;
  /** Lines the dialog may take, frame included. */
  height: number;
  deployDir: string | null;
}

/** The open confirmation dialog in its frame; nothing for any other modal. */
export function dialogLines(modal: Modal, snapshot: Snapshot, room: DialogRoom): Line[] {
  const inner = room.width - 4;
  switch (modal.kind) {
    case 'rollback': {
      const byNumber = new Map(snapshot.history.map((v) => [v.version, v]));
      const targets = modal.targets.flatMap((n) => {
        const v = byNumber.get(n);
        return v === undefined ? [] : [v];
      });
      const lines = rollbackDialogLines(snapshot, targets, modal.index, {
        now: room.now,
        width: inner,
        height: room.height - 2,
        engineDefault: snapshot.rollbackTarget ?? null,
        warned: modal.warned,
      });
      return framed(lines, room.width);
    }
    case 'rollover':
      return framed(rolloverDialogLines(snapshot, modal.strategy, modal.strategies, inner), room.width);
    case 'stop':
      return framed(stopDialogLines(snapshot.app, modal.typed, inner), room.width);
    case 'deploy':
      return framed(deployDialogLines(snapshot, room.deployDir ?? '', inner), room.width);
    default:
      return [];
  }
}

/**
 * The history table (h toggles it): the newest `rows` versions in columns that fit `width`, and
 * when `total` is more than it shows, a line saying how many it leaves out.
 */
export function historyPanelLines(
  snapshot: Snapshot,
  o: { now: number; width: number; rows: number; total: number; focused: boolean },
): Line[] {
  const data = historyRows(snapshot.history, o.now, o.rows);
  if (data.length === 0) return [];
  const lines = [panelTitle('History', o.focused), ...ruledTable(data, historyColumnsFor(data, o.width))];
  if (o.total > data.length) lines.push(historyMoreLine(o.total - data.length, snapshot.app, o.width));
  return lines;
}

/** The last `count` events under their title, `back` of them scrolled back from the newest. */
export function eventsPanelLines(
  snapshot: Snapshot,
  o: { width: number; count: number; back: number; focused: boolean },
): Line[] {
  if (o.count <= 0) return [];
  const back = Math.min(o.back, Math.max(0, snapshot.events.length - o.count));
  const events = back > 0 ? snapshot.events.slice(0, -back) : snapshot.events;
  const title = back > 0 ? `Events (${back} newer below)` : 'Events';
  return [panelTitle(title, o.focused), ...eventLines(events, o.width, o.count)];
}

/**
 * The help in at most `height` lines; when it is taller, j/k scroll it (`top`) and its last line
 * says what is left.
 */
export function helpPanelLines(lines: Line[], top: number, height: number): Line[] {
  if (lines.length <= height) return lines;
  const room = Math.max(1, height - 1);
  const first = Math.min(top, Math.max(0, lines.length - room));
  const below = lines.length - first - room;
  const more = below > 0 ? `↓ ${below} more lines · j/k scroll · esc closes` : '↑ j/k scroll · esc closes';
  return [...lines.slice(first, first + room), [seg(more, 'dim')]];
}
