// What containers report (ready, unready, exited) and what the clock enforces (start and drain
// timeouts, H1 back-off). Failures are counted against a rollout to detect crash loops (H1).
import { finishDrainIfIdle, functionOf, reconcile, templateFor, terminate } from './containers.ts';
import { type Ctx, note } from './context.ts';
import { dispatch } from './inputs.ts';
import { expireQueued } from './queue-bounds.ts';
import { requeueFrom } from './retries.ts';
import { failRollout } from './rollout.ts';
import type { Container } from './types.ts';
import type { AppState } from './world.ts';

export function containerReady(ctx: Ctx, app: AppState, c: Container): void {
  if (c.state !== 'starting') return;
  c.state = 'ready';
  c.readyAt = ctx.at;
  app.backoff.delete(c.template);
  note(ctx, app, 'info', 'container-ready', `${c.id} ready (v${c.version})`, {
    container: c.id,
    version: c.version,
  });
  reconcile(ctx, app);
}

/** H1: a container that exits or fails readiness is replaced, after a back-off. */
export function containerFailed(ctx: Ctx, app: AppState, c: Container, reason: string): void {
  if (c.state === 'draining') {
    // It was leaving anyway: what it had in flight is retried elsewhere.
    terminate(ctx, app, c, 'exited', 0, { reason: `its container ${reason}`, counted: true });
    note(ctx, app, 'warn', 'container-exited', `${c.id} ${reason} while draining`, {
      container: c.id,
      version: c.version,
    });
    reconcile(ctx, app);
    return;
  }
  terminate(ctx, app, c, 'failed', 0, { reason: `its container ${reason}`, counted: true });
  note(ctx, app, 'warn', 'container-failed', `${c.id} ${reason}`, { container: c.id, version: c.version });
  const options = ctx.world.options;
  // H1: per template, so no rollout resets the back-off of a template that keeps failing.
  const backoff = app.backoff.get(c.template) ?? { failures: 0, until: 0 };
  backoff.failures++;
  backoff.until =
    ctx.at + Math.min(options.restartBackoffMs * 2 ** (backoff.failures - 1), options.restartBackoffMaxMs);
  app.backoff.set(c.template, backoff);

  const rollout = app.rollout;
  if (rollout && app.record.status === 'deployed') {
    const target = app.versions[rollout.to - 1]!;
    const fn = target.spec.functions.find((f) => f.name === c.function);
    if (fn && templateFor(target, fn) === c.template) {
      const failures = (rollout.failures[c.function] ?? 0) + 1;
      rollout.failures[c.function] = failures;
      if (failures >= options.crashLoopLimit) {
        failRollout(ctx, app, `${c.function} containers failed ${failures} times (last: ${reason})`);
        return;
      }
    }
  }
  reconcile(ctx, app);
}

export function inputLeft(ctx: Ctx, app: AppState, c: Container | null, fn: string): void {
  if (c?.state === 'draining') {
    finishDrainIfIdle(ctx, app, c);
    // The last drained container may be what the rollout was waiting for.
    if (!app.containers.has(c.id)) {
      reconcile(ctx, app);
      return;
    }
  }
  dispatch(ctx, app, fn);
}

/** Enforces timeouts, lets back-offs expire into restarts. */
export function tickApp(ctx: Ctx, app: AppState): void {
  const stopped = app.record.status === 'stopped';
  for (const c of [...app.containers.values()]) {
    const fn = functionOf(app, c);
    if (!fn) continue;
    if (c.state === 'starting' && ctx.at - c.startedAt >= fn.startTimeoutMs) {
      containerFailed(ctx, app, c, `not ready after ${fn.startTimeoutMs / 1000}s`);
      continue;
    }
    if (c.state === 'draining' && c.drainStartedAt !== null) {
      const limit = stopped ? Math.min(fn.drainTimeoutMs, ctx.world.options.stopDrainMs) : fn.drainTimeoutMs;
      if (ctx.at - c.drainStartedAt >= limit) {
        // S1, R1: what is left after the drain timeout is retried elsewhere when its method
        // allows it, and answered with the reason otherwise.
        const left = c.inFlight;
        const cut = { reason: `cut at ${c.id}'s drain timeout (${limit / 1000}s)`, counted: false };
        requeueFrom(ctx, app, [c.id], cut);
        terminate(ctx, app, c, 'exited', 0, cut);
        note(ctx, app, 'warn', 'drain-timeout', `${c.id} drain timed out with ${left} input(s) in flight`, {
          container: c.id,
          version: c.version,
        });
      }
    }
  }
  expireQueued(ctx, app);
  if (!stopped) reconcile(ctx, app);
}
