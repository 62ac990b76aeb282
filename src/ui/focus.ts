// Which panel has the focus; tab moves it (skipping the history table while it is hidden).

/** A panel the focus can be on. */
export type Panel = 'containers' | 'history' | 'events';

export function panelsFor(showHistory: boolean): Panel[] {
  return showHistory ? ['containers', 'history', 'events'] : ['containers', 'events'];
}

export function nextPanel(current: Panel, showHistory: boolean): Panel {
  const panels = panelsFor(showHistory);
  const at = panels.indexOf(current);
  return panels[(at + 1) % panels.length] ?? 'containers';
}
