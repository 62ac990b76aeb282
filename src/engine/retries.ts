// R1: what happens to an input whose attempt ended badly or was cut by a rollout: sent again
// only when it provably never reached the app or its method and policy allow it; otherwise
// answered with the reason.
import type { Ctx } from './context.ts';
import { mayRetry } from './function-defaults.ts';
import { answerError, detach, limitsOf, queueOf } from './inputs.ts';
import type { Container, Input } from './types.ts';
import type { AppState } from './world.ts';

/** How an attempt ended badly, as the proxy (or the engine itself) saw it. */
export interface AttemptFailure {
  reason: string;
  /** It provably never reached the app. */
  unsent: boolean;
  /** It cannot be sent again, whatever its method. */
  final: boolean;
  /** Counts toward retries-exhausted (a failure of the container, not a rollout's doing). */
  counted: boolean;
}

export function inputFailed(
  ctx: Ctx,
  app: AppState,
  inputId: string,
  containerId: string,
  failure: Omit<AttemptFailure, 'counted'>,
): Container | null {
  const input = detach(ctx, app, inputId, containerId);
  if (!input) return null;
  retryOrAnswer(ctx, app, input, { ...failure, counted: true });
  return app.containers.get(containerId) ?? null;
}

/**
 * R1: an input whose attempt ended badly goes back to the front of the queue only when it
 * provably never reached the app or its function's policy lets its method run again; otherwise
 * it is answered with the reason, and counted failed.
 */
function retryOrAnswer(ctx: Ctx, app: AppState, input: Input, failure: AttemptFailure): void {
  if (failure.counted) input.failedAttempts++;
  if (!failure.unsent) input.reached = true;
  const policy = limitsOf(app, input.function).retry;
  if (app.record.status === 'stopped') {
    // T1: a stopped app has nowhere to retry it: answer it rather than queue it forever.
    answerError(ctx, app, input, 'app-stopped', 'app stopped');
  } else if (failure.final) {
    answerError(ctx, app, input, 'not-retried', `${failure.reason}; it cannot be sent again`);
  } else if (!mayRetry(policy, input.method, !input.reached)) {
    answerError(
      ctx,
      app,
      input,
      'not-retried',
      `${failure.reason}; a ${input.method} that may have reached the app is not sent again (retry = "${policy}")`,
    );
  } else if (failure.counted && input.failedAttempts >= ctx.world.options.maxInputAttempts) {
    answerError(ctx, app, input, 'retries-exhausted', `failed ${input.failedAttempts} times`);
  } else {
    requeueFront(ctx, app, input);
  }
}

function requeueFront(ctx: Ctx, app: AppState, input: Input): void {
  input.state = 'queued';
  input.containerId = null;
  input.queuedAt = ctx.at;
  queueOf(app, input.function).unshift(input.id);
  app.queued++;
}

/**
 * Takes every input off containers that are going away. S2: those R1 lets run again go back to
 * the front of the queue in arrival order (across all the containers), ahead of inputs that
 * never started; the others are answered with `reason`. `counted` says whether the containers
 * failed (counts toward retries-exhausted) or the engine retired them.
 */
export function requeueFrom(
  ctx: Ctx,
  app: AppState,
  containerIds: string[],
  cause: { reason: string; counted: boolean },
): void {
  const inputs: Input[] = [];
  for (const containerId of containerIds) {
    const ids = app.inFlightOn.get(containerId);
    app.inFlightOn.delete(containerId);
    const container = app.containers.get(containerId);
    for (const id of ids ?? []) {
      const input = ctx.world.inputs.get(id);
      if (!input) continue;
      if (container) container.inFlight--;
      app.inFlight--;
      inputs.push(input);
    }
  }
  // Newest first, each to the front, so the oldest ends up at the very front.
  inputs.sort((a, b) => b.seq - a.seq);
  for (const input of inputs) {
    retryOrAnswer(ctx, app, input, { ...cause, unsent: false, final: false });
  }
}
