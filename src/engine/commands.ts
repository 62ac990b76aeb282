// Operator commands: rollover (O1), rollback (B1, B2), stop (T1), and what every command shares:
// the app it acts on and its reply. Every command ends in exactly one `reply` effect, now or (for
// a deploy, in deploy.ts) when its build ends; pause and resume are in pause.ts.
import { reconcile } from './containers.ts';
import { type Ctx, emit, note } from './context.ts';
import type { CommandReply, RefusalCode } from './effects.ts';
import type { CommandEvent, SecretFingerprints } from './events.ts';
import { answerQueued } from './inputs.ts';
import { defaultRollbackTarget } from './rollback-target.ts';
import { addVersion, cancelBuild, startRollout } from './rollout.ts';
import type { Version } from './types.ts';
import { type AppState, desiredVersion, versionOf } from './world.ts';

type Command<T extends CommandEvent['type']> = Extract<CommandEvent, { type: T }>;

export function reply(ctx: Ctx, requestId: string, body: CommandReply): void {
  emit(ctx, { type: 'reply', requestId, reply: body });
}

export function refuse(ctx: Ctx, requestId: string, app: string, code: RefusalCode, message: string): void {
  reply(ctx, requestId, { ok: false, app, code, message });
}

/** The newest app of that name, stopped or not. */
export function latestApp(ctx: Ctx, name: string): AppState | null {
  const id = ctx.world.latestByName.get(name);
  return id === undefined ? null : (ctx.world.apps.get(id) ?? null);
}

/** The deployed app a command acts on, or a refusal already sent. */
export function deployedApp(ctx: Ctx, event: CommandEvent): AppState | null {
  const app = latestApp(ctx, event.app);
  if (!app) {
    refuse(ctx, event.requestId, event.app, 'unknown-app', `no app named ${event.app}`);
    return null;
  }
  if (app.record.status === 'stopped') {
    refuse(
      ctx,
      event.requestId,
      event.app,
      'app-stopped',
      `${event.app} is stopped; deploy it again to create a new app`,
    );
    return null;
  }
  return app;
}

export function rollover(ctx: Ctx, event: Command<'rollover'>): void {
  const app = deployedApp(ctx, event);
  if (!app) return;
  const base = desiredVersion(app);
  if (!base) {
    refuse(
      ctx,
      event.requestId,
      event.app,
      'unknown-version',
      `${event.app} has no version to roll over yet`,
    );
    return;
  }
  cancelBuild(ctx, event.app, `a rollover by ${event.user}`);
  // O1: the same spec under a new template epoch, so every container is replaced.
  const version = addVersion(ctx, app, {
    kind: 'rollover',
    strategy: event.strategy ?? base.spec.strategy,
    user: event.user,
    base,
    secretFingerprints: event.secretFingerprints,
  });
  startRollout(ctx, app, version);
  reply(ctx, event.requestId, {
    ok: true,
    app: event.app,
    version: version.number,
    noop: false,
    rollbackOf: null,
    message: `v${version.number} created (rollover of v${base.number})`,
    warnings: [],
  });
}

/** B2: secrets are not in a version's snapshot, so say by name what differs. */
function secretWarnings(from: Version | null, to: Version, live: SecretFingerprints): string[] {
  const warnings: string[] = [];
  const fromNames = new Set(from?.spec.secrets ?? []);
  for (const name of to.spec.secrets) {
    if (from && !fromNames.has(name))
      warnings.push(`v${to.number} expects secret ${name}, which v${from.number} does not`);
    else if (from && (from.secretFingerprints[name] ?? null) !== (to.secretFingerprints[name] ?? null)) {
      warnings.push(`secret ${name} differs between v${from.number} and v${to.number}`);
    }
    if (name in live && live[name] === null) warnings.push(`secret ${name} is not set`);
  }
  for (const name of fromNames) {
    if (!to.spec.secrets.includes(name))
      warnings.push(`v${from!.number} expects secret ${name}, which v${to.number} does not`);
  }
  return warnings;
}

export function rollback(ctx: Ctx, event: Command<'rollback'>): void {
  const app = deployedApp(ctx, event);
  if (!app) return;
  const newest = app.versions.length;
  if (event.to !== undefined && (!Number.isInteger(event.to) || event.to < 1 || event.to > newest)) {
    refuse(
      ctx,
      event.requestId,
      event.app,
      'unknown-version',
      `${event.app} has no v${event.to} (newest is v${newest})`,
    );
    return;
  }
  // C1: a rollback pressed while a rollback rolls out is the same press, not an undo of that one
  // (which would roll forward again); undoing it takes its version number, or waits until it is active.
  const targetNumber = event.to ?? defaultRollbackTarget(app);
  if (targetNumber === null) {
    refuse(
      ctx,
      event.requestId,
      event.app,
      'no-earlier-version',
      `${event.app} has no earlier version to roll back to`,
    );
    return;
  }
  const target = app.versions[targetNumber - 1]!;
  const desired = desiredVersion(app);
  // C1: the second of two identical rollbacks finds the first already doing it.
  if (desired && desired.specHash === target.specHash && desired.templateEpoch === target.templateEpoch) {
    const doing = app.rollout
      ? `v${desired.number} (${desired.kind} by ${desired.user}) already rolls out v${targetNumber}'s spec`
      : `v${desired.number} already runs v${targetNumber}'s spec`;
    note(ctx, app, 'info', 'rollback-noop', `rollback by ${event.user}: ${doing}`);
    reply(ctx, event.requestId, {
      ok: true,
      app: event.app,
      version: desired.number,
      noop: true,
      rollbackOf: targetNumber,
      message: doing,
      warnings: [],
    });
    return;
  }
  cancelBuild(ctx, event.app, `a rollback by ${event.user}`);
  const warnings = secretWarnings(versionOf(app, app.current) ?? desired, target, event.secretFingerprints);
  const version = addVersion(ctx, app, {
    kind: 'rollback',
    strategy: event.strategy ?? target.spec.strategy,
    user: event.user,
    base: target,
    templateEpoch: target.templateEpoch,
    rollbackOf: targetNumber,
    secretFingerprints: event.secretFingerprints,
  });
  for (const warning of warnings)
    note(ctx, app, 'warn', 'secret-changed', warning, { version: version.number });
  startRollout(ctx, app, version);
  reply(ctx, event.requestId, {
    ok: true,
    app: event.app,
    version: version.number,
    noop: false,
    rollbackOf: targetNumber,
    message: `v${version.number} created (rollback to v${targetNumber})`,
    warnings,
  });
}

export function stop(ctx: Ctx, event: Command<'stop'>): void {
  const app = deployedApp(ctx, event);
  if (!app) return;
  cancelBuild(ctx, event.app, `a stop by ${event.user}`);
  if (app.rollout) {
    const superseded = app.versions[app.rollout.to - 1]!;
    superseded.outcome = 'superseded';
    ctx.effects.push({ type: 'record-version', appId: app.record.id, version: { ...superseded } });
    app.rollout = null;
  }
  app.record.status = 'stopped';
  app.record.stoppedAt = ctx.wall;
  emit(ctx, { type: 'record-app', app: { ...app.record } });
  note(ctx, app, 'warn', 'app-stopped', `stopped by ${event.user}`);
  // T1: queued inputs are answered, never dropped; containers drain briefly, then go.
  answerQueued(ctx, app, 'app-stopped', 'app stopped');
  reconcile(ctx, app);
  reply(ctx, event.requestId, {
    ok: true,
    app: event.app,
    version: app.current ?? 0,
    noop: false,
    rollbackOf: null,
    message: `${event.app} stopped`,
    warnings: [],
  });
}
