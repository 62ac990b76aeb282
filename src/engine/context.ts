// What one `step` call carries around: the world, the time of the event, and the effects it
// has decided so far. Record effects are pushed before the actions they describe (write-ahead).
import type { Effect } from './effects.ts';
import type { AppEvent, Version } from './types.ts';
import type { AppState, World } from './world.ts';

export interface Ctx {
  world: World;
  /** The engine's (monotonic) time: every timeout and back-off is measured with it. */
  at: number;
  /** Wall-clock time, for what is recorded and shown only. */
  wall: number;
  effects: Effect[];
}

export function emit(ctx: Ctx, effect: Effect): void {
  ctx.effects.push(effect);
}

/** Appends to the app's event log (stored, and kept briefly in memory for snapshots). */
export function note(
  ctx: Ctx,
  app: AppState,
  level: AppEvent['level'],
  kind: string,
  message: string,
  extra: Pick<AppEvent, 'version' | 'container' | 'detail'> = {},
): void {
  const event: AppEvent = { at: ctx.wall, appId: app.record.id, level, kind, message, ...extra };
  app.recentEvents.push(event);
  if (app.recentEvents.length > ctx.world.options.recentEvents) app.recentEvents.shift();
  emit(ctx, { type: 'record-event', event });
}

export function saveVersion(ctx: Ctx, app: AppState, version: Version): void {
  emit(ctx, { type: 'record-version', appId: app.record.id, version: { ...version } });
}

export function nextId(ctx: Ctx, prefix: string): string {
  ctx.world.sequence++;
  return `${prefix}-${ctx.world.sequence}`;
}
