// The version timeline: `v5 ─ v6 ─ v7 ↺v5 ─ v8`, oldest to newest, current one marked.
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { age } from './format.ts';
import { type Line, seg, type Tone } from './line.ts';

const separator = ' ─ ';

/** `●v7 ↺v5 rollback ana 5m`: one version of the timeline. */
export function timelineEntry(v: VersionSummary, current: number | null, now: number): string {
  const mark =
    v.version === current ? '●' : v.outcome === 'failed' ? '✗' : v.outcome === 'rolling' ? '◐' : '';
  const target = v.rollbackOf === null ? '' : ` ↺v${v.rollbackOf}`;
  return `${mark}v${v.version}${target} ${v.kind} ${v.user} ${age(v.createdAt, now)}`;
}

function toneOf(v: VersionSummary, current: number | null): Tone | undefined {
  if (v.version === current) return 'new';
  if (v.outcome === 'failed') return 'error';
  if (v.outcome === 'rolling') return 'accent';
  return 'dim';
}

/** The newest versions that fit in `width`, with `…` in front when older ones were left out. */
export function timelineLine(snapshot: Snapshot, width: number, now: number): Line {
  const oldestFirst = [...snapshot.history].sort((a, b) => a.version - b.version);
  if (oldestFirst.length === 0) return [seg('no versions yet', 'dim')];
  const picked: Line = [];
  let used = 0;
  for (let i = oldestFirst.length - 1; i >= 0; i--) {
    const v = oldestFirst[i]!;
    const text = timelineEntry(v, snapshot.version, now);
    const extra = text.length + (picked.length > 0 ? separator.length : 0);
    const needsEllipsis = i > 0;
    if (used + extra + (needsEllipsis ? 2 + separator.length - 1 : 0) > width && picked.length > 0) {
      picked.unshift(seg(`…${separator}`, 'dim'));
      return picked;
    }
    if (picked.length > 0) picked.unshift(seg(separator, 'dim'));
    picked.unshift(seg(text, toneOf(v, snapshot.version)));
    used += extra;
  }
  return picked;
}
