// Fly releases as the engine's versions (research §5): the release number is the version; its
// kind is what cutover recorded when it made the release, else read from the images: the same
// image as the release before it is a rollover (unless the recorded configs differ), an image of
// an earlier release a rollback of that release, anything else a deploy. flyctl sets a release's
// status running, then complete, failed or interrupted (deploy/machines_deploymachinesapp.go).
import type { VersionSummary } from '../../engine/snapshot.ts';
import type { Outcome, VersionKind } from '../../engine/types.ts';
import type { FlyRelease } from './fly-types.ts';
import type { ReleaseLabel } from './release-store.ts';

export const isRunning = (r: FlyRelease) =>
  r.in_progress === true || r.status === 'running' || r.status === 'pending';
export const isComplete = (r: FlyRelease) => r.status === 'complete' && r.in_progress !== true;
export const isFailed = (r: FlyRelease) => r.status === 'failed' || r.status === 'interrupted';

/** The newest complete release: what the app runs when nothing is rolling out. */
export function activeRelease(releases: FlyRelease[]): FlyRelease | null {
  return releases.find(isComplete) ?? null;
}

/** `ROLLING` → `rolling`; flyctl's default when the release does not say. */
export function strategyWord(release: FlyRelease | undefined): string {
  return (release?.strategy || 'rolling').toLowerCase();
}

/** What cutover knows beyond the releases themselves. */
export interface HistoryKnowledge {
  labels: Map<number, ReleaseLabel>;
  /** Whether two releases' recorded configs are the same; null when either was never recorded. */
  sameConfig: (a: number, b: number) => boolean | null;
}

function kindOf(
  release: FlyRelease,
  older: FlyRelease[],
  knowledge: HistoryKnowledge,
): { kind: VersionKind; rollbackOf: number | null } {
  const label = knowledge.labels.get(release.version);
  if (label) return { kind: label.kind, rollbackOf: label.rollbackOf };
  const image = release.image_ref;
  if (!image) return { kind: 'deploy', rollbackOf: null };
  const previous = older[0];
  if (previous?.image_ref === image) {
    return knowledge.sameConfig(release.version, previous.version) === false
      ? { kind: 'deploy', rollbackOf: null }
      : { kind: 'rollover', rollbackOf: null };
  }
  const earlier = older.find((r) => r.image_ref === image);
  return earlier ? { kind: 'rollback', rollbackOf: earlier.version } : { kind: 'deploy', rollbackOf: null };
}

function outcomeOf(release: FlyRelease, active: FlyRelease | null): Outcome {
  if (isRunning(release)) return 'rolling';
  if (isFailed(release)) return 'failed';
  return release === active ? 'active' : 'superseded';
}

/** The releases (newest first) as versions, newest first. */
export function versionsOf(releases: FlyRelease[], knowledge: HistoryKnowledge): VersionSummary[] {
  const active = activeRelease(releases);
  return releases.map((release, index) => {
    const label = knowledge.labels.get(release.version);
    const { kind, rollbackOf } = kindOf(release, releases.slice(index + 1), knowledge);
    const created = release.created_at ? Date.parse(release.created_at) : Number.NaN;
    const by = label ? `${label.user} (cutover)` : release.user || 'unknown';
    const said = [release.status, label?.note].filter(Boolean).join('; ');
    return {
      version: release.version,
      kind,
      strategy: label?.strategy ?? strategyWord(release),
      user: by,
      createdAt: Number.isNaN(created) ? 0 : created,
      outcome: outcomeOf(release, active),
      rollbackOf,
      image: release.image_ref ?? '',
      // Fly has no spec hash; the release id identifies what was deployed.
      specHash: release.id,
      description: said || null,
    };
  });
}

/**
 * Where `rollback` with no number goes (B1, H1): the last good release. After a failed or
 * running release that is the active one; otherwise the newest complete release before the
 * active one that runs a different image.
 */
export function defaultRollbackTarget(releases: FlyRelease[]): number | null {
  const newest = releases[0];
  const active = activeRelease(releases);
  if (!newest || !active) return null;
  if (newest !== active) return active.version;
  const before = releases.filter((r) => r.version < active.version && isComplete(r));
  return (before.find((r) => r.image_ref !== active.image_ref) ?? null)?.version ?? null;
}
