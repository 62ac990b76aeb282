// The header line and the banners (failed rollout, stopped app, running build).
import type { Snapshot } from '../../engine/snapshot.ts';
import { age } from './format.ts';
import { clipLine, type Line, seg, wrapLine } from './line.ts';
import { safeText } from './logs.ts';

/** `v7 → v8 rolling 3/5 ready`, or `steady` when nothing is rolling out. */
export function rolloutText(snapshot: Snapshot): string {
  const r = snapshot.rollout;
  if (r === null) return snapshot.status === 'stopped' ? 'stopped' : 'steady';
  const from = r.from === null ? '' : `v${r.from} → `;
  const of =
    r.specOf === null || r.specOf === undefined
      ? ''
      : r.kind === 'rollback'
        ? ` to v${r.specOf}`
        : ` of v${r.specOf}'s spec`;
  const kind = r.kind === 'deploy' ? '' : ` (${r.kind}${of})`;
  const phase = snapshot.paused ? 'PAUSED' : r.phase;
  return `${from}v${r.to} ${phase} ${r.ready}/${r.target} ready${kind}`;
}

/** `shop · local · v7 · v7 → v8 rolling 3/5 ready · strategy rolling` */
/**
 * `shop · kubernetes prod-eu/shop · v3 · steady · strategy rolling`: the app, where it runs (the
 * platform and, like k9s's header, the context and namespace, Fly organisation or Modal
 * environment), its version, its rollout, its strategy.
 */
export function headerLine(snapshot: Snapshot, width: number, target = ''): Line {
  const version = snapshot.version === null ? 'no version' : `v${snapshot.version}`;
  const tone = snapshot.rollout !== null ? 'accent' : snapshot.status === 'stopped' ? 'error' : 'ok';
  return clipLine(
    [
      seg(snapshot.app, 'accent'),
      seg(` · ${snapshot.platform}${target === '' ? '' : ` ${target}`} · `),
      seg(version),
      seg(' · '),
      seg(rolloutText(snapshot), tone),
      // Last, so a narrow terminal cuts the strategy before the progress.
      seg(` · strategy ${snapshot.strategy}`),
    ],
    width,
  );
}

/** The last lines a failing container wrote, fetched for the banner (through Provider.logs). */
export interface FailureOutput {
  container: string;
  lines: string[];
}

/** The container whose output explains a failure: the failed rollout's, else a crash loop's. */
export function failingContainer(snapshot: Snapshot): string | null {
  if (snapshot.failed?.container) return snapshot.failed.container;
  const failed = snapshot.containers.filter((c) => c.state === 'failed');
  return failed.sort((a, b) => b.version - a.version)[0]?.id ?? null;
}

/** `  shop-web-4 › Error: Cannot find module 'express'`, the last lines first cut to the width. */
function outputLines(output: FailureOutput | null, container: string | null, width: number): Line[] {
  if (output === null || container === null || output.container !== container) return [];
  return output.lines
    .map((l) => safeText(l).trim())
    .filter((l) => l !== '')
    .slice(-3)
    .map((l) => clipLine([seg(`  ${container} › `, 'dim'), seg(l)], width));
}

/** One line (or a few) per condition the operator must not miss, with what explains it. */
export function bannerLines(
  snapshot: Snapshot,
  now: number,
  width: number,
  output: FailureOutput | null = null,
): Line[] {
  const lines: Line[] = [];
  if (snapshot.status === 'stopped') {
    lines.push([
      seg('■ STOPPED', 'error'),
      seg(' this app is stopped; deploying the name creates a new app'),
    ]);
  }
  const container = failingContainer(snapshot);
  if (snapshot.failed !== null) {
    const f = snapshot.failed;
    // The reason is what the operator acts on: it wraps rather than being cut (three lines at most).
    lines.push(
      ...wrapLine([seg(`✗ ROLLOUT FAILED v${f.version}`, 'error'), seg(` ${f.reason}`)], width, 2).slice(
        0,
        3,
      ),
    );
    lines.push(...outputLines(output, container, width));
    if (f.probe) lines.push([seg('  last probe: ', 'dim'), seg(f.probe)]);
  } else if (container !== null && snapshot.status !== 'stopped') {
    const c = snapshot.containers.find((x) => x.id === container)!;
    const times = c.restarts ? `, ${c.restarts} in a row` : '';
    lines.push(
      ...wrapLine(
        [
          seg(`↺ CRASH LOOP ${c.function} v${c.version}`, 'warn'),
          seg(` ${c.id}: ${c.reason ?? 'failed'}${times}`),
        ],
        width,
        2,
      ).slice(0, 2),
    );
    lines.push(...outputLines(output, container, width));
  }
  if (snapshot.paused && snapshot.rollout !== null) lines.push(pausedLine(snapshot));
  if (snapshot.building !== null) {
    const b = snapshot.building;
    lines.push([seg('⧗ BUILDING', 'warn'), seg(` image for ${b.user}'s deploy, ${age(b.since, now)}`)]);
  }
  return lines.map((l) => clipLine(l, width));
}

/** P1: `‖ PAUSED v8: 2 new containers to start or get ready, 2 old to drain · p resumes` */
function pausedLine(snapshot: Snapshot): Line {
  const r = snapshot.rollout!;
  const left = Math.max(0, r.target - r.ready);
  const old = snapshot.containers.filter(
    (c) => c.version !== r.to && (c.state === 'ready' || c.state === 'starting'),
  ).length;
  return [
    seg(`‖ PAUSED v${r.to}`, 'warn'),
    seg(
      `: ${left} new container${left === 1 ? '' : 's'} to start or get ready, ${old} old to drain · p resumes`,
    ),
  ];
}

/** What the screen knows of its feed while it is lost: why, and since when its data is. */
export interface Stale {
  message: string;
  since: number;
}

/** `⚠ STALE data from 12s ago · lost the connection…; reconnecting (attempt 2)…` */
export function staleLine(stale: Stale, now: number, width: number): Line {
  return clipLine(
    [seg(`⚠ STALE data from ${age(stale.since, now)} ago`, 'warn'), seg(` · ${stale.message}`)],
    width,
  );
}
