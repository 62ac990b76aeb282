// The confirmation dialogs' lines. Each fits in `height` lines of `width` columns.
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { type DialogKeyId, dialogHint } from '../keymap.ts';
import { age } from './format.ts';
import { clipLine, type Line, seg, wrapLine } from './line.ts';
import { neverActive } from './rollback-targets.ts';
import { specChangeLines } from './spec-diff.ts';

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

/** Lines cut to `room`, the last one saying how many were left out. */
function cutTo(lines: Line[], room: number): Line[] {
  if (lines.length <= room) return lines;
  if (room <= 0) return [];
  return [...lines.slice(0, room - 1), [seg(`… ${lines.length - room + 1} more`, 'dim')]];
}

/**
 * B1: the choice of target (the engine's default pre-selected, a window around the cursor) and,
 * for the chosen one, what the rollback changes against what runs now.
 */
export function rollbackDialogLines(
  snapshot: Snapshot,
  targets: VersionSummary[],
  index: number,
  options: { now: number; width: number; height: number; engineDefault: number | null; warned: boolean },
): Line[] {
  const { now, width, height } = options;
  const chosen = targets[index];
  const head: Line[] = [[seg(`Roll back ${snapshot.app} to:`, 'accent')]];
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
  const headVersion = snapshot.rollout?.to ?? snapshot.version;
  const running = snapshot.history.find((v) => v.version === headVersion);
  const changes =
    chosen === undefined
      ? []
      : [
          [seg(`What changes, v${headVersion ?? '?'} → v${chosen.version}:`, 'accent')] as Line,
          ...specChangeLines(snapshot, running, chosen, 'rollback').flatMap((l) => wrapLine(l, width, 11)),
        ];
  const room = Math.max(1, height - head.length - foot.length);
  // The list keeps up to three rows (more when there is room); what changes gets the rest.
  const listRoom = Math.max(1, Math.min(targets.length, Math.max(3, room - changes.length)));
  const start = Math.min(Math.max(0, index - listRoom + 1), Math.max(0, targets.length - listRoom));
  const rows = targets.slice(start, start + listRoom).map((v, i): Line => {
    const selected = start + i === index;
    const tone = selected ? 'focus' : v.outcome === 'failed' ? 'error' : neverActive(v) ? 'dim' : undefined;
    return [seg(targetText(v, selected, options.engineDefault, now), tone)];
  });
  const shown = cutTo(changes, room - rows.length);
  return [...head, ...rows, ...shown, ...foot].map((l) => clipLine(l, width));
}

/** The number the next version gets (versions are numbered densely, D1). */
export function nextVersion(snapshot: Snapshot): number {
  return Math.max(snapshot.version ?? 0, snapshot.rollout?.to ?? 0, snapshot.history[0]?.version ?? 0) + 1;
}

/** `v8 is rolling out (3/5 ready)`, or null when nothing rolls out. */
function inProgress(snapshot: Snapshot): string | null {
  const r = snapshot.rollout;
  if (r === null) return null;
  return `v${r.to} is rolling out (${r.ready}/${r.target} ready)${snapshot.paused ? ', paused' : ''}`;
}

/** O1: what the rollover will run, the platform's strategies (or its own), and the keys. */
export function rolloverDialogLines(
  snapshot: Snapshot,
  strategy: string | undefined,
  strategies: string[],
  width: number,
): Line[] {
  const next = nextVersion(snapshot);
  const baseVersion = snapshot.rollout?.to ?? snapshot.version;
  const running = inProgress(snapshot);
  const what =
    running === null
      ? `v${next} replaces every container with v${baseVersion}'s spec.`
      : `${running}; a rollover starts v${next} with v${baseVersion}'s spec and supersedes it.`;
  const option = (s: string): Line[number] =>
    seg(s === strategy ? `[${s}]` : ` ${s} `, s === strategy ? 'focus' : 'dim');
  const choice: Line =
    strategies.length === 0
      ? [seg('strategy  '), seg("the platform's own", 'dim')]
      : [
          seg('strategy  '),
          ...strategies.flatMap((s, i) => (i === 0 ? [option(s)] : [seg('  '), option(s)])),
        ];
  const base = snapshot.history.find((v) => v.version === baseVersion);
  const changes = base === undefined ? [] : specChangeLines(snapshot, base, base, 'rollover');
  return [
    clipLine([seg(`Roll over ${snapshot.app}?`, 'accent')], width),
    ...wrapLine([seg(what, running === null ? undefined : 'warn')], width),
    ...changes.flatMap((l) => wrapLine(l, width, 11)),
    clipLine(choice, width),
    ...wrapLine(
      strategies.length > 1
        ? hintLine('dialog.toggle', 'dialog.confirm', 'dialog.cancel')
        : hintLine('dialog.confirm', 'dialog.cancel'),
      width,
    ),
  ];
}

/** T1: type the app's name to stop it. */
export function stopDialogLines(app: string, typed: string, width: number): Line[] {
  const matches = typed === app;
  return [
    ...wrapLine(
      [
        seg(`Stop ${app}?`, 'error'),
        seg(' Containers drain, then terminate; queued inputs get "app stopped".'),
      ],
      width,
    ),
    ...wrapLine([seg('This cannot be undone. Type the app name to confirm:')], width),
    clipLine([seg('> '), seg(typed, matches ? 'ok' : 'warn'), seg('█', 'dim')], width),
    ...wrapLine(matches ? hintLine('dialog.submit', 'dialog.cancel') : hintLine('dialog.cancel'), width),
  ];
}

/** Deploy again from the app's directory: what is in progress and what the new version runs. */
export function deployDialogLines(snapshot: Snapshot, dir: string, width: number): Line[] {
  const next = nextVersion(snapshot);
  const running = inProgress(snapshot);
  const building =
    snapshot.building === null ? '' : ` A build for ${snapshot.building.user}'s deploy is cancelled.`;
  const what =
    running === null
      ? `A deploy builds ${dir} and rolls out its spec as v${next} (no new version if nothing changed).${building}`
      : `${running}; a deploy builds ${dir} and rolls out its spec as v${next}, superseding it.${building}`;
  return [
    clipLine([seg(`Deploy ${snapshot.app} again?`, 'accent')], width),
    ...wrapLine([seg(what, running === null && building === '' ? undefined : 'warn')], width),
    ...wrapLine(hintLine('dialog.confirm', 'dialog.cancel'), width),
  ];
}
