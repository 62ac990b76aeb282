// The logs pane: a container's output, newest last, following. Container output is untrusted
// text: escape sequences and control characters are taken out before it reaches the terminal.
import { clipLine, type Line, seg, wrapLine } from './line.ts';

/** What the screen has of one container's output. */
export interface LogsView {
  container: string;
  /** Newest last, already split into lines. */
  lines: string[];
  /** `following` while the stream is open; `ended` when it ended; `error` when it failed. */
  state: 'following' | 'ended' | 'error';
  /** Why it ended or failed. */
  message?: string;
}

// CSI and OSC sequences, then any other C0/C1 control character but the tab.
const escapes = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
const controls = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/** A line of container output made safe to draw: no escapes, no control characters, tabs as spaces. */
export function safeText(text: string): string {
  return text.replace(escapes, '').replace(controls, '').replace(/\t/g, '  ');
}

/** The pane in `height` lines: a title, then the output's last lines (`back` lines scrolled up). */
export function logsPaneLines(view: LogsView, width: number, height: number, back: number): Line[] {
  const status =
    view.state === 'error'
      ? `error: ${view.message ?? 'the stream failed'}`
      : view.state === 'ended'
        ? `ended${view.message ? `: ${view.message}` : ''}`
        : back > 0
          ? `${back} lines up · j/↓ back to the newest`
          : 'following';
  const title: Line = [
    seg(`Logs ${view.container}`, 'accent'),
    seg(` · ${status}`, view.state === 'error' ? 'error' : 'dim'),
    seg(' · esc closes', 'dim'),
  ];
  const room = Math.max(1, height - 1);
  if (view.lines.length === 0) {
    const empty = view.state === 'following' ? 'no output yet; waiting for it…' : 'no output';
    return [clipLine(title, width), [seg(empty, 'dim')]];
  }
  // Wrap only what can be shown: the newest lines, from the bottom up.
  const shown: Line[] = [];
  const last = Math.max(0, view.lines.length - back);
  for (let i = last - 1; i >= 0 && shown.length < room; i--) {
    const wrapped = wrapLine([seg(safeText(view.lines[i]!))], width, 2);
    shown.unshift(...wrapped.slice(-(room - shown.length)));
  }
  return [clipLine(title, width), ...shown];
}
