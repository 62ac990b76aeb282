// Q1: a function's queue has a length and a wait limit, and a client that leaves takes its
// input out of it. Each costs O(1) per input, like the rest of the queue.
import type { Ctx } from './context.ts';
import { answerError, limitsOf } from './inputs.ts';
import type { AppState } from './world.ts';

/** Q1: the client left while its input was queued: it is neither done nor failed. */
export function inputCancelled(ctx: Ctx, app: AppState, inputId: string): void {
  const input = ctx.world.inputs.get(inputId);
  // In flight already: the attempt runs to its end and is reported as usual.
  if (input?.state !== 'queued') return;
  app.queues.get(input.function)?.remove(inputId);
  app.queued--;
  app.cancelled++;
  ctx.world.inputs.delete(inputId);
  input.state = 'cancelled';
}

/** Q1: inputs queued for longer than their function's queue_timeout are answered 503. */
export function expireQueued(ctx: Ctx, app: AppState): void {
  for (const [fn, queue] of app.queues) {
    const timeoutMs = limitsOf(app, fn).queueTimeoutMs;
    // Oldest first: the scan stops at the first input still inside its time.
    for (let id = queue.peek(); id !== undefined; id = queue.peek()) {
      const input = ctx.world.inputs.get(id);
      if (input && ctx.at - input.queuedAt < timeoutMs) break;
      queue.shift();
      app.queued--;
      if (input)
        answerError(
          ctx,
          app,
          input,
          'queue-timeout',
          `waited ${seconds(ctx.at - input.queuedAt)} for a container of ${fn} (queue_timeout = ${seconds(timeoutMs)})`,
        );
    }
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
