// The overview of every app on every target: one row per app, as a k9s deployment list shows it,
// plus rollout progress and traffic (failed inputs per second), which k9s lacks.
import type { Snapshot } from '../../engine/snapshot.ts';
import { padEnd, rate } from '../present/format.ts';
import { clip, clipLine, type Line, seg, type Tone } from '../present/line.ts';

/** One app on one target, as the overview lists it. */
export interface OverviewRow {
  /** The target's label (`local`, `prod (kubernetes prod-eu/shop)`). */
  target: string;
  /** Which source (target) it came from, to open it with that target's provider. */
  source: number;
  /** The app's id as the platform names it (`shop`, `shop#2`); what `watch` opens. */
  app: string;
  status: Snapshot['status'];
  version: number | null;
  /** `v7 → v8 rolling 2/3`, `steady`, `PAUSED v8 1/3`, `✗ v8 failed`. */
  progress: string;
  tone: Tone | undefined;
  /** Ready containers of the version it converges to, against their target. */
  ready: number;
  wanted: number;
  failedPerSecond: number | null;
}

/** A target the overview could not read: it says so on a row of its own. */
export interface SourceError {
  target: string;
  message: string;
}

export function overviewRow(target: string, source: number, s: Snapshot): OverviewRow {
  const head = s.rollout?.to ?? s.version;
  const wanted = s.functions.reduce((n, f) => n + f.target, 0);
  const ready = s.containers.filter((c) => c.version === head && c.state === 'ready').length;
  const r = s.rollout;
  const progress =
    s.status === 'stopped'
      ? 'stopped'
      : r !== null
        ? `${r.from === null ? '' : `v${r.from} → `}v${r.to} ${s.paused ? 'PAUSED' : r.phase} ${r.ready}/${r.target}`
        : s.failed !== null
          ? `✗ v${s.failed.version} failed`
          : s.building !== null
            ? '⧗ building'
            : 'steady';
  const tone: Tone | undefined =
    s.status === 'stopped'
      ? 'dim'
      : s.failed !== null
        ? 'error'
        : r !== null
          ? s.paused
            ? 'warn'
            : 'accent'
          : 'ok';
  return {
    target,
    source,
    app: s.appId,
    status: s.status,
    version: s.version,
    progress,
    tone,
    ready,
    wanted,
    failedPerSecond: s.inputs.failedPerSecond,
  };
}

/** Rows whose app, target or progress contains `filter` (case-insensitive); all when it is empty. */
export function filterRows(rows: OverviewRow[], filter: string): OverviewRow[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return rows;
  return rows.filter((r) => `${r.app} ${r.target} ${r.progress} ${r.status}`.toLowerCase().includes(f));
}

/** Deployed first (those rolling out or failing before steady ones), then by target and name. */
export function sortRows(rows: OverviewRow[]): OverviewRow[] {
  const rank = (r: OverviewRow) =>
    r.status === 'stopped' ? 3 : r.progress.startsWith('✗') ? 0 : r.progress === 'steady' ? 2 : 1;
  return [...rows].sort(
    (a, b) => rank(a) - rank(b) || a.target.localeCompare(b.target) || a.app.localeCompare(b.app),
  );
}

export interface OverviewView {
  width: number;
  /** Rows of apps that fit. */
  rows: number;
  cursor: number;
  top: number;
}

/** The table's heading and visible rows, the selected one marked. */
export function overviewTableLines(rows: OverviewRow[], errors: SourceError[], view: OverviewView): Line[] {
  const appWidth = Math.min(24, Math.max(3, ...rows.map((r) => r.app.length)));
  const targetWidth = Math.min(28, Math.max(6, ...rows.map((r) => r.target.length)));
  const progressWidth = Math.max(
    8,
    view.width - (2 + appWidth + 2 + targetWidth + 2 + 7 + 2 + 5 + 2 + 6 + 2 + 8),
  );
  const heading = `  ${padEnd('app', appWidth)}  ${padEnd('target', targetWidth)}  ${padEnd('version', 7)}  ${padEnd('rollout', progressWidth)}  ${'ready'.padStart(6)}  failed/s`;
  const lines: Line[] = [[seg(clip(heading, view.width), 'dim')]];
  const shown = rows.slice(view.top, view.top + view.rows);
  shown.forEach((r, i) => {
    const selected = view.top + i === view.cursor;
    lines.push(
      clipLine(
        [
          seg(selected ? '▸ ' : '  ', 'focus'),
          seg(
            padEnd(clip(r.app, appWidth), appWidth),
            selected ? 'focus' : r.status === 'stopped' ? 'dim' : undefined,
          ),
          seg('  '),
          seg(padEnd(clip(r.target, targetWidth), targetWidth), 'dim'),
          seg('  '),
          seg(padEnd(r.version === null ? '—' : `v${r.version}`, 7)),
          seg('  '),
          seg(padEnd(clip(r.progress, progressWidth), progressWidth), r.tone),
          seg('  '),
          seg(
            `${r.ready}/${r.wanted}`.padStart(6),
            r.ready < r.wanted && r.status !== 'stopped' ? 'warn' : undefined,
          ),
          seg('  '),
          seg(
            (r.failedPerSecond === null ? '—' : rate(r.failedPerSecond)).padStart(8),
            (r.failedPerSecond ?? 0) > 0 ? 'error' : 'dim',
          ),
        ],
        view.width,
      ),
    );
  });
  for (const e of errors) lines.push(clipLine([seg(`  ⚠ ${e.target}: ${e.message}`, 'warn')], view.width));
  return lines;
}
