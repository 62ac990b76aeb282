// How many lines each panel gets. The frame is always at most rows - 1 lines tall; when rows
// are short, history and chart shrink first, then events, then container rows.

/** Smallest terminal the screen is drawn in. */
export const minSize = { columns: 60, rows: 18 };

/** What the layout depends on. */
export interface LayoutInput {
  rows: number;
  banners: number;
  /** The per-function summary: its heading and one line per function. */
  containerLines: number;
  /** Rows the containers table would list (0: no table, as while a dialog is open). */
  containerRows?: number;
  inputLines: number;
  events: number;
  /** Versions the snapshot carries (rows the history table can show). */
  history: number;
  /** Versions there are in all, when the snapshot carries only the newest. */
  historyTotal?: number;
  showHistory: boolean;
  hasStatus: boolean;
}

/** Lines per panel; 0 hides it. */
export interface Layout {
  header: number;
  banners: number;
  /** Lines of the containers panel: the summary, then the table's heading and rows. */
  containers: number;
  /** Rows of the containers table that are shown (it scrolls through the rest). */
  tableRows: number;
  inputs: number;
  chart: number;
  timeline: number;
  /** Table rows (versions), not lines. */
  historyRows: number;
  /** 1 when the history table leaves versions out and says how many (`7 older versions`). */
  historyMore: number;
  /** Event lines, not counting the title. */
  events: number;
  status: number;
  footer: number;
  /** Lines the modal area (dialogs) may use in place of chart, history and events. */
  modal: number;
}

const maxChart = 14;

export function tooSmall(columns: number, rows: number): boolean {
  return columns < minSize.columns || rows < minSize.rows;
}

/** Total lines a layout draws outside the modal area. */
export function layoutHeight(l: Layout): number {
  const history = l.historyRows > 0 ? 4 + 2 * l.historyRows + l.historyMore : 0;
  const events = l.events > 0 ? l.events + 1 : 0;
  return (
    l.header +
    l.banners +
    l.containers +
    l.inputs +
    l.chart +
    l.timeline +
    history +
    events +
    l.status +
    l.footer
  );
}

export function planLayout(input: LayoutInput): Layout {
  const budget = input.rows - 1;
  const status = input.hasStatus ? 1 : 0;
  const banners = Math.min(input.banners, 6);
  const inputs = Math.min(input.inputLines, 2);
  const fixedNoContainers = 1 + banners + inputs + 1 + status + 1;
  const summary = Math.max(2, Math.min(input.containerLines, budget - fixedNoContainers - 2));
  // The table gets up to a third of what is left, at least two rows: it scrolls through the rest.
  const wanted = input.containerRows ?? 0;
  const room = budget - fixedNoContainers - summary;
  // A history table asked for on a short terminal takes the room instead.
  const tight = room < 6 || (input.showHistory && room < 14);
  const tableRows = wanted === 0 || tight ? 0 : Math.min(wanted, Math.max(2, Math.floor(room / 3)));
  const containers = summary + (tableRows > 0 ? tableRows + 1 : 0);
  let left = Math.max(0, budget - fixedNoContainers - containers);
  const modal = left;

  // History, when asked for, first: up to half of what is left, at least one row.
  let historyRows = 0;
  if (input.showHistory && input.history > 0) {
    const target = Math.max(6, Math.floor(left / 2));
    historyRows = Math.min(input.history, Math.floor((Math.min(target, left) - 4) / 2));
    if (historyRows > 0) left -= 4 + 2 * historyRows;
    else historyRows = 0;
  }

  // Then up to three events: they say what just happened.
  let events = Math.min(input.events, 3, Math.max(0, left - 1));
  left -= events > 0 ? events + 1 : 0;

  let chart = Math.min(left, maxChart);
  if (chart < 4) chart = 0;
  left -= chart;

  if (input.showHistory && historyRows < input.history) {
    // Growing from nothing costs the title and borders too.
    const overhead = historyRows === 0 ? 4 : 0;
    const more = Math.max(0, Math.min(input.history - historyRows, Math.floor((left - overhead) / 2)));
    if (more > 0) {
      historyRows += more;
      left -= 2 * more + overhead;
    }
  }
  // A table that leaves versions out says how many, on a line of its own.
  let historyMore = 0;
  if (historyRows > 0 && historyRows < (input.historyTotal ?? input.history)) {
    historyMore = 1;
    if (left > 0) left -= 1;
    else if (events > 1) events -= 1;
    else if (chart > 4) chart -= 1;
    else if (historyRows > 1) {
      historyRows -= 1;
      left += 1;
    } else historyMore = 0;
  }
  const moreEvents = Math.min(input.events - events, left - (events === 0 ? 1 : 0), 12);
  if (moreEvents > 0) {
    if (events === 0) left -= 1;
    events += moreEvents;
    left -= moreEvents;
  }
  return {
    header: 1,
    banners,
    containers,
    tableRows,
    inputs,
    chart,
    timeline: 1,
    historyRows,
    historyMore,
    events,
    status,
    footer: 1,
    modal,
  };
}
