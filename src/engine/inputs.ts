// Routing inputs to containers. Each function is O(containers of one function), independent of
// how many inputs are queued or in flight. What happens to an input whose attempt ends badly is
// in retries.ts (R1); the queue's bounds are in queue-bounds.ts (Q1).
import type { Ctx } from './context.ts';
import { emit } from './context.ts';
import type { InputError } from './effects.ts';
import { FUNCTION_DEFAULTS } from './function-defaults.ts';
import { InputQueue } from './input-queue.ts';
import type { Container, FunctionSpec, Input } from './types.ts';
import { type AppState, desiredVersion } from './world.ts';

export function queueOf(app: AppState, fn: string): InputQueue {
  let queue = app.queues.get(fn);
  if (!queue) {
    queue = new InputQueue();
    app.queues.set(fn, queue);
  }
  return queue;
}

/** The limits that apply to a function's inputs: those of the version the app converges to. */
export function limitsOf(
  app: AppState,
  fn: string,
): Pick<FunctionSpec, 'retry' | 'maxQueue' | 'queueTimeoutMs'> {
  return desiredVersion(app)?.spec.functions.find((f) => f.name === fn) ?? FUNCTION_DEFAULTS;
}

/** Ends an input with an error it is answered with: never dropped silently (T1). */
export function answerError(
  ctx: Ctx,
  app: AppState | null,
  input: Input,
  error: InputError,
  message: string,
): void {
  ctx.world.inputs.delete(input.id);
  input.state = 'failed';
  if (app) {
    app.failed++;
    app.window.failed++;
  }
  emit(ctx, { type: 'answer-error', inputId: input.id, error, message });
}

export function inputArrived(
  ctx: Ctx,
  app: AppState | undefined,
  inputId: string,
  fn: string,
  method: string,
): void {
  const input: Input = {
    id: inputId,
    appId: app?.record.id ?? '',
    function: fn,
    state: 'queued',
    attempts: 0,
    failedAttempts: 0,
    containerId: null,
    method,
    arrivedAt: ctx.at,
    queuedAt: ctx.at,
    reached: false,
    seq: ++ctx.world.inputSeq,
  };
  if (!app || app.record.status === 'stopped') {
    answerError(ctx, app ?? null, input, 'app-stopped', 'app stopped');
    return;
  }
  const desired = desiredVersion(app);
  if (!desired) {
    answerError(ctx, app, input, 'no-version', 'the app has no version running');
    return;
  }
  const spec = desired.spec.functions.find((f) => f.name === fn);
  if (!spec) {
    answerError(ctx, app, input, 'no-function', `v${desired.number} has no function ${fn}`);
    return;
  }
  const queue = queueOf(app, fn);
  // Q1: a queue at its bound refuses at once (a non-empty queue means no container has a free slot).
  if (queue.length >= spec.maxQueue && pickContainer(app, fn) === null) {
    answerError(
      ctx,
      app,
      input,
      'queue-full',
      `${queue.length} inputs already wait for ${fn} (max_queue = ${spec.maxQueue})`,
    );
    return;
  }
  ctx.world.inputs.set(inputId, input);
  queue.push(inputId);
  app.queued++;
  dispatch(ctx, app, fn);
}

/** The container with the most free slots among those that take inputs for `fn`. */
function pickContainer(app: AppState, fn: string): Container | null {
  let best: Container | null = null;
  let bestFree = 0;
  for (const c of app.containers.values()) {
    if (c.function !== fn || c.state !== 'ready' || !c.accepting) continue;
    const free = c.concurrency - c.inFlight;
    if (free > bestFree) {
      best = c;
      bestFree = free;
    }
  }
  return best;
}

/** Moves queued inputs of `fn` onto containers with free slots, front of the queue first. */
export function dispatch(ctx: Ctx, app: AppState, fn: string): void {
  const queue = app.queues.get(fn);
  if (!queue) return;
  while (queue.length > 0) {
    const container = pickContainer(app, fn);
    if (!container) return;
    const inputId = queue.shift()!;
    app.queued--;
    const input = ctx.world.inputs.get(inputId);
    if (!input) continue;
    input.state = 'in-flight';
    input.containerId = container.id;
    input.attempts++;
    container.inFlight++;
    app.inFlight++;
    let onContainer = app.inFlightOn.get(container.id);
    if (!onContainer) {
      onContainer = new Set();
      app.inFlightOn.set(container.id, onContainer);
    }
    onContainer.add(inputId);
    emit(ctx, { type: 'route', inputId, containerId: container.id, attempt: input.attempts });
  }
}

/** Every function that has queued inputs gets a chance at free slots. */
export function dispatchAll(ctx: Ctx, app: AppState): void {
  for (const fn of app.queues.keys()) dispatch(ctx, app, fn);
}

/** Detaches an in-flight input from its container; returns the input, or null when stale. */
export function detach(ctx: Ctx, app: AppState, inputId: string, containerId: string): Input | null {
  const input = ctx.world.inputs.get(inputId);
  // A report from an attempt the engine already gave up on (requeued elsewhere) is ignored:
  // that is what keeps every input completing exactly once.
  if (input?.state !== 'in-flight' || input.containerId !== containerId) return null;
  const container = app.containers.get(containerId);
  if (container) container.inFlight--;
  app.inFlightOn.get(containerId)?.delete(inputId);
  app.inFlight--;
  input.containerId = null;
  return input;
}

export function inputFinished(
  ctx: Ctx,
  app: AppState,
  inputId: string,
  containerId: string,
): Container | null {
  const input = detach(ctx, app, inputId, containerId);
  if (!input) return null;
  ctx.world.inputs.delete(inputId);
  input.state = 'done';
  app.done++;
  app.window.done++;
  app.window.latencies.push(ctx.at - input.arrivedAt);
  return app.containers.get(containerId) ?? null;
}

/** Answers queued inputs with `error` (T1 stop, no version left, a function removed). */
export function answerQueued(ctx: Ctx, app: AppState, error: InputError, message: string, fn?: string): void {
  for (const [name, queue] of app.queues) {
    if (fn !== undefined && name !== fn) continue;
    for (const id of queue.drain()) {
      app.queued--;
      const input = ctx.world.inputs.get(id);
      if (input) answerError(ctx, app, input, error, message);
    }
  }
}
