// The confirmation dialogs' lines. Each fits in `height` lines of `width` columns.
import type { VersionSummary } from '../../engine/snapshot.ts';
import { type DialogKeyId, dialogHint } from '../keymap.ts';
import { age } from './format.ts';
import { clipLine, type Line, seg } from './line.ts';
import { neverActive } from './rollback-targets.ts';

/** A dialog's hint line, generated from the dialog keys it listens to. */
function hintLine(...ids: DialogKeyId[]): Line {
  return [seg(ids.map(dialogHint).join(' · '), 'dim')];
}

/** One target's row: what it is, and the marks an operator must see before choosing it. */
function targetText(v: VersionSummary, selected: boolean, engineDefault: number | null, now: number): string {
  const target = v.rollbackOf === null ? '' : ` ↺v${v.rollbackOf}`;
  const outcome = v.outcome === 'failed' ? '✗ failed' : v.outcome;
  const marks = [
    ...(neverActive(v) ? ['never active'] : []),
    ...(v.version === engineDefault ? ['default'] : []),
  ];
  const tail = marks.length > 0 ? ` · ${marks.join(' · ')}` : '';
  return `${selected ? '▸' : ' '} v${v.version}${target}  ${v.kind}  ${v.user}  ${age(v.createdAt, now)} ago  ${outcome}${tail}`;
}

/** B1: the choice of target, the engine's default pre-selected, with a window around the cursor. */
export function rollbackDialogLines(
  app: string,
  targets: VersionSummary[],
  index: number,
  options: { now: number; width: number; height: number; engineDefault: number | null; warned: boolean },
): Line[] {
  const { now, width, height } = options;
  const chosen = targets[index];
  const head: Line[] = [[seg(`Roll back ${app} to:`, 'accent')]];
  const foot: Line[] =
    options.warned && chosen !== undefined
      ? [
          [seg(`⚠ v${chosen.version}'s rollout failed: rolling back to it may fail again.`, 'warn')],
          [
            seg(
              `${dialogHint('dialog.confirm').replace(/ confirms$/, '')} again rolls back to it anyway · `,
              'dim',
            ),
            seg(dialogHint('dialog.cancel'), 'dim'),
          ],
        ]
      : [hintLine('dialog.down', 'dialog.up', 'dialog.confirm', 'dialog.cancel')];
  const room = Math.max(1, height - head.length - foot.length);
  const start = Math.min(Math.max(0, index - room + 1), Math.max(0, targets.length - room));
  const rows = targets.slice(start, start + room).map((v, i): Line => {
    const selected = start + i === index;
    const tone = selected ? 'focus' : v.outcome === 'failed' ? 'error' : neverActive(v) ? 'dim' : undefined;
    return [seg(targetText(v, selected, options.engineDefault, now), tone)];
  });
  return [...head, ...rows, ...foot].map((l) => clipLine(l, width));
}

/** O1: the platform's strategies (rolling or recreate locally), or its own when it offers none. */
export function rolloverDialogLines(
  app: string,
  strategy: string | undefined,
  strategies: string[],
  width: number,
): Line[] {
  const option = (s: string): Line[number] =>
    seg(s === strategy ? `[${s}]` : ` ${s} `, s === strategy ? 'focus' : 'dim');
  const choice: Line =
    strategies.length === 0
      ? [seg('strategy  '), seg("the platform's own", 'dim')]
      : [
          seg('strategy  '),
          ...strategies.flatMap((s, i) => (i === 0 ? [option(s)] : [seg('  '), option(s)])),
        ];
  return [
    [seg(`Roll over ${app}: replace every container, same spec`, 'accent')],
    choice,
    strategies.length > 1
      ? hintLine('dialog.toggle', 'dialog.confirm', 'dialog.cancel')
      : hintLine('dialog.confirm', 'dialog.cancel'),
  ].map((l) => clipLine(l, width));
}

/** T1: type the app's name to stop it. */
export function stopDialogLines(app: string, typed: string, width: number): Line[] {
  const matches = typed === app;
  return [
    [
      seg(`Stop ${app}?`, 'error'),
      seg(' Containers drain, then terminate; queued inputs get "app stopped".'),
    ],
    [seg('This cannot be undone. Type the app name to confirm:')],
    [seg('> '), seg(typed, matches ? 'ok' : 'warn'), seg('█', 'dim')],
    matches ? hintLine('dialog.submit', 'dialog.cancel') : hintLine('dialog.cancel'),
  ].map((l) => clipLine(l, width));
}

/** Deploy again from the app's directory. */
export function deployDialogLines(app: string, dir: string, width: number): Line[] {
  return [
    [seg(`Deploy ${app} again from ${dir}?`, 'accent')],
    hintLine('dialog.confirm', 'dialog.cancel'),
  ].map((l) => clipLine(l, width));
}
