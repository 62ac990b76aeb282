// Starting, superseding and failing rollouts (C1, H1).
import { reconcile } from './containers.ts';
import { type Ctx, note, saveVersion } from './context.ts';
import type { SecretFingerprints } from './events.ts';
import type { Strategy, Version, VersionKind } from './types.ts';
import type { AppState } from './world.ts';

/** Cancels a deploy still building for this app's name: a newer command supersedes it (C1). */
export function cancelBuild(ctx: Ctx, appName: string, by: string): void {
  const buildId = ctx.world.buildByName.get(appName);
  if (!buildId) return;
  const build = ctx.world.builds.get(buildId)!;
  ctx.world.builds.delete(buildId);
  ctx.world.buildByName.delete(appName);
  ctx.effects.push({ type: 'cancel-build', buildId });
  ctx.effects.push({
    type: 'reply',
    requestId: build.requestId,
    reply: { ok: false, app: appName, code: 'superseded', message: `deploy superseded by ${by}` },
  });
}

/** Adds the next version (D1: numbers are dense, never reused) and stores it before acting. */
export function addVersion(
  ctx: Ctx,
  app: AppState,
  fields: {
    kind: VersionKind;
    strategy: Strategy;
    user: string;
    base: Pick<Version, 'spec' | 'specHash'>;
    templateEpoch?: number;
    rollbackOf?: number;
    secretFingerprints: SecretFingerprints;
  },
): Version {
  const number = app.versions.length + 1;
  const version: Version = {
    number,
    kind: fields.kind,
    strategy: fields.strategy,
    user: fields.user,
    createdAt: ctx.wall,
    spec: fields.base.spec,
    specHash: fields.base.specHash,
    rollbackOf: fields.rollbackOf ?? null,
    templateEpoch: fields.templateEpoch ?? number,
    secretFingerprints: fields.secretFingerprints,
    outcome: 'rolling',
    activatedAt: null,
  };
  app.versions.push(version);
  saveVersion(ctx, app, version);
  return version;
}

/** Rolls the app out to `version`, superseding any rollout in progress (C1). */
export function startRollout(ctx: Ctx, app: AppState, version: Version): void {
  const previous = app.rollout;
  if (previous) {
    const superseded = app.versions[previous.to - 1]!;
    superseded.outcome = 'superseded';
    saveVersion(ctx, app, superseded);
    note(
      ctx,
      app,
      'warn',
      'rollout-superseded',
      `v${superseded.number}'s rollout superseded by v${version.number}`,
      {
        version: superseded.number,
      },
    );
  }
  app.rollout = {
    from: app.current,
    to: version.number,
    kind: version.kind,
    strategy: version.strategy,
    startedAt: ctx.at,
    failures: {},
  };
  app.failure = null;
  // H1: back-off is kept per template, so a new version's containers start at once while a
  // template that keeps crashing waits out its own back-off whichever rollout asks for it.
  const from = app.current === null ? '' : `v${app.current} → `;
  note(
    ctx,
    app,
    'info',
    'rollout-started',
    `${from}v${version.number} ${version.strategy} ${version.kind} by ${version.user}`,
    { version: version.number },
  );
  reconcile(ctx, app);
}

/** H1: the new version crash-loops. The old containers keep serving; maybe roll back by itself. */
export function failRollout(ctx: Ctx, app: AppState, reason: string): void {
  const rollout = app.rollout!;
  const version = app.versions[rollout.to - 1]!;
  version.outcome = 'failed';
  saveVersion(ctx, app, version);
  app.rollout = null;
  app.failure = { version: version.number, reason };
  note(ctx, app, 'error', 'rollout-failed', `v${version.number} failed: ${reason}`, {
    version: version.number,
  });
  // H1: the failures were the new version's template; the old one's replacements do not wait.
  // A rollback never rolls itself back: its target crash-looping is for an operator to see.
  const current = app.current === null ? null : app.versions[app.current - 1]!;
  if (version.spec.autoRollback && version.kind !== 'rollback' && current) {
    const rollback = addVersion(ctx, app, {
      kind: 'rollback',
      strategy: 'rolling',
      user: 'cutover (auto-rollback)',
      base: current,
      templateEpoch: current.templateEpoch,
      rollbackOf: current.number,
      secretFingerprints: current.secretFingerprints,
    });
    note(ctx, app, 'warn', 'auto-rollback', `rolling back to v${current.number} as v${rollback.number}`, {
      version: rollback.number,
    });
    startRollout(ctx, app, rollback);
    return;
  }
  reconcile(ctx, app);
}
