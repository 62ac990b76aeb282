// Which panel has the focus; tab moves it (skipping the history table while it is hidden).
import { useCallback, useState } from 'react';

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

export function useFocus(showHistory: boolean): { focus: Panel; next: () => void } {
  const [chosen, setChosen] = useState<Panel>('containers');
  // The history panel loses the focus when it is hidden.
  const focus = !showHistory && chosen === 'history' ? 'events' : chosen;
  const next = useCallback(() => setChosen((current) => nextPanel(current, showHistory)), [showHistory]);
  return { focus, next };
}
