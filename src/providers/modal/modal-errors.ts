// A failed `modal` run becomes a ProviderError carrying Modal's own message. Modal prints errors
// in one of two shapes: click's usage errors (`Error: …` after the usage line, exit 2), and
// everything else in a panel titled Error on stderr (py/modal/__main__.py → OutputManager
// `print_error`, a rich Panel; exit 1). `SystemExit(msg)` prints the bare message (exit 1).
import { ProviderError, type ProviderErrorCode } from '../../engine/provider-error.ts';
import type { ModalRun } from './modal-cli.ts';

const panelSide = /^[│┃|]\s?(.*?)\s*[│┃|]$/;

/** Modal's message in a run's output: the Error panel's text, click's `Error: …`, or the last line. */
export function modalMessage(output: string): string {
  const lines = output.split('\n').map((l) => l.trimEnd());
  const top = lines.findIndex((l) => /^[╭┏+]─+ ?Error ?─/.test(l.trim()));
  if (top >= 0) {
    const body: string[] = [];
    for (const line of lines.slice(top + 1)) {
      const m = panelSide.exec(line.trim());
      if (!m) break;
      body.push(m[1]!.trim());
    }
    // A long message wraps inside the panel: its lines join back into paragraphs.
    const message = body
      .join('\n')
      .replace(/([^\n])\n(?=[^\n])/g, '$1 ')
      .trim();
    if (message !== '') return message;
  }
  const clickError = lines.filter((l) => l.startsWith('Error: ')).pop();
  if (clickError) return clickError.slice('Error: '.length).trim();
  return (
    lines
      .filter((l) => l.trim() !== '')
      .pop()
      ?.trim() ?? 'no output'
  );
}

// Modal's messages for the conditions cutover reports with their own exit code (exception names
// from py/modal/exception.py; texts from py/modal/cli/app.py, py/modal/_utils/grpc_utils.py).
const patterns: [RegExp, ProviderErrorCode, string][] = [
  [/No App with name|not found|NotFoundError|does not exist/i, 'not-found', 'not-found'],
  [
    /Token missing|Could not authenticate|Unauthenticated|AuthError|PermissionDenied|permission/i,
    'forbidden',
    'auth',
  ],
  [
    /Could not connect|ConnectionError|timed out|Deadline Exceeded|UNAVAILABLE|connection/i,
    'unavailable',
    'connection',
  ],
  [/is not deployed|already stopped/i, 'conflict', 'app-stopped'],
];

/** The code for a failed run: exit 2 is a usage error (nothing ran); else by Modal's message. */
export function codeFor(
  run: Pick<ModalRun, 'exitCode'>,
  message: string,
): { code: ProviderErrorCode; reason: string } {
  if (run.exitCode === 2) return { code: 'usage', reason: 'modal-usage' };
  for (const [pattern, code, reason] of patterns) if (pattern.test(message)) return { code, reason };
  return { code: 'failed', reason: 'modal-failed' };
}

/** The output besides the message itself (a build's log before its Error panel), or ''. */
export function outputBesides(output: string): string {
  const kept: string[] = [];
  let inPanel = false;
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (/^[╭┏+]─+ ?Error ?─/.test(t)) inPanel = true;
    else if (inPanel && /^[╰┗+]─+[╯┛+]$/.test(t)) inPanel = false;
    else if (!inPanel && !/^(Usage: modal |Try 'modal |Error: )/.test(t) && t !== '') kept.push(line);
  }
  return kept.join('\n');
}

/** `modal app rollback shop v9: Rollback version not found in App history.`, other output kept. */
export function modalError(run: ModalRun): ProviderError {
  const message = modalMessage(run.output);
  const { code, reason } = codeFor(run, message);
  const detail = outputBesides(run.output);
  return new ProviderError(code, `${run.command}: ${message}`, {
    reason,
    ...(detail === '' ? {} : { detail }),
  });
}
