// P1 pause and resume: a paused rolling rollout starts no new container and drains no old one;
// inputs keep flowing to whatever is ready, so S1's capacity floor holds. Resume continues where
// it stopped; a rollback, deploy, rollover or stop meanwhile supersedes it (C1) like any rollout.
import { deployedApp, refuse, reply } from './commands.ts';
import { reconcile, templateFor } from './containers.ts';
import { type Ctx, note } from './context.ts';
import type { CommandEvent } from './events.ts';
import type { AppState } from './world.ts';

type Command<T extends CommandEvent['type']> = Extract<CommandEvent, { type: T }>;

/** New-version containers per function, not draining: what a paused rollout holds on to. */
function freshCounts(app: AppState): Record<string, number> {
  const version = app.versions[app.rollout!.to - 1]!;
  const counts: Record<string, number> = {};
  for (const fn of version.spec.functions) {
    const template = templateFor(version, fn);
    counts[fn.name] = [...app.containers.values()].filter(
      (c) => c.template === template && c.state !== 'draining',
    ).length;
  }
  return counts;
}

const ok = (ctx: Ctx, event: CommandEvent, app: AppState, noop: boolean, message: string) =>
  reply(ctx, event.requestId, {
    ok: true,
    app: event.app,
    version: app.rollout?.to ?? app.current ?? 0,
    noop,
    rollbackOf: null,
    message,
    warnings: [],
  });

export function pause(ctx: Ctx, event: Command<'pause'>): void {
  const app = deployedApp(ctx, event);
  if (!app) return;
  const rollout = app.rollout;
  if (rollout === null) {
    refuse(ctx, event.requestId, event.app, 'no-rollout', `${event.app} has no rollout in progress to pause`);
    return;
  }
  if (rollout.strategy !== 'rolling') {
    const message = `v${rollout.to}'s recreate cannot be paused: only a rolling rollout can`;
    refuse(ctx, event.requestId, event.app, 'no-rollout', message);
    return;
  }
  if (rollout.paused) {
    ok(ctx, event, app, true, `v${rollout.to}'s rollout is already paused`);
    return;
  }
  rollout.paused = freshCounts(app);
  note(ctx, app, 'warn', 'rollout-paused', `v${rollout.to}'s rollout paused by ${event.user}`, {
    version: rollout.to,
  });
  ok(ctx, event, app, false, `v${rollout.to}'s rollout paused: nothing starts or drains until resumed`);
}

export function resume(ctx: Ctx, event: Command<'resume'>): void {
  const app = deployedApp(ctx, event);
  if (!app) return;
  const rollout = app.rollout;
  if (rollout === null || !rollout.paused) {
    const what = rollout === null ? 'no rollout in progress' : `v${rollout.to}'s rollout is not paused`;
    ok(ctx, event, app, true, `nothing to resume: ${what}`);
    return;
  }
  rollout.paused = null;
  note(ctx, app, 'info', 'rollout-resumed', `v${rollout.to}'s rollout resumed by ${event.user}`, {
    version: rollout.to,
  });
  ok(ctx, event, app, false, `v${rollout.to}'s rollout resumed`);
  // P1: it carries on where it stopped.
  reconcile(ctx, app);
}
