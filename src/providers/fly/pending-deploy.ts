// A `fly deploy` cutover started, recorded before flyctl runs, so what cutover knows of the
// release it makes (its label, the fly.toml deployed, the secret digests then) is not lost when
// the process that ran it ends first: a detached deploy, a closed screen, a killed CLI. Whoever
// reads the app next and sees the release settles it. Fly numbers an app's releases one by one,
// so the release a deploy made is the first after the newest one when it started.
import { join } from 'node:path';
import { readOwnerOnly, removeOwnerOnly, writeOwnerOnly } from './owner-only-files.ts';
import type { ReleaseLabel, ReleaseStore } from './release-store.ts';

export interface PendingDeploy {
  /** The newest release when the deploy started. */
  after: number;
  startedAt: number;
  label: Omit<ReleaseLabel, 'at'>;
  flyToml: string | null;
  secrets: Record<string, string> | null;
}

/** A deploy that made no release in this long (flyctl failed before one) is forgotten. */
const forgetAfterMs = 60 * 60 * 1000;

const fileOf = (store: ReleaseStore, app: string) => join(store.appDir(app), 'pending-deploy.json');

export function beginDeploy(store: ReleaseStore, app: string, pending: PendingDeploy): void {
  writeOwnerOnly(fileOf(store, app), `${JSON.stringify(pending, null, 2)}\n`);
}

export function forgetDeploy(store: ReleaseStore, app: string): void {
  removeOwnerOnly(fileOf(store, app));
}

/**
 * Records the pending deploy on the release it made, once that release exists: `made` when the
 * caller knows it exactly (flyctl's release line), else the first after `pending.after` when
 * `newest` shows it. Returns whether something was settled.
 */
export function settleDeploy(
  store: ReleaseStore,
  app: string,
  newest: number,
  made: number | null = null,
  now = Date.now(),
): boolean {
  const text = readOwnerOnly(fileOf(store, app));
  if (text === null) return false;
  let pending: PendingDeploy;
  try {
    pending = JSON.parse(text) as PendingDeploy;
  } catch {
    forgetDeploy(store, app); // not ours (written whole by rename): nothing to settle
    return false;
  }
  const version = made ?? (newest > pending.after ? pending.after + 1 : null);
  if (version === null) {
    if (now - pending.startedAt > forgetAfterMs) forgetDeploy(store, app);
    return false;
  }
  store.setLabel(app, version, { ...pending.label, at: now });
  if (pending.flyToml !== null) store.recordFlyToml(app, version, pending.flyToml);
  if (pending.secrets !== null) store.recordSecrets(app, version, pending.secrets);
  forgetDeploy(store, app);
  return true;
}
