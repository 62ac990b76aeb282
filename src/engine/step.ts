// The rollout controller: step(state, event) → { state, effects }. Deterministic and free of
// I/O: no clock, no randomness, no process, socket or database. Time arrives as `event.at`.
// It takes ownership of the state and changes it in place (an input costs O(1), not a copy);
// callers that need the old state keep their own copy.

import * as commands from './commands.ts';
import type { Ctx } from './context.ts';
import { buildEnded, deploy } from './deploy.ts';
import type { Effect } from './effects.ts';
import type { EngineEvent } from './events.ts';
import { inputArrived, inputFinished } from './inputs.ts';
import { containerFailed, containerReady, inputLeft, tickApp } from './lifecycle.ts';
import { recordMetrics } from './metrics.ts';
import { pause, resume } from './pause.ts';
import { inputCancelled } from './queue-bounds.ts';
import { inputFailed } from './retries.ts';
import type { AppState, World } from './world.ts';

export interface StepResult {
  state: World;
  effects: Effect[];
}

function appOfContainer(world: World, containerId: string): AppState | null {
  const appId = world.containerApp.get(containerId);
  return appId === undefined ? null : (world.apps.get(appId) ?? null);
}

export function step(world: World, event: EngineEvent): StepResult {
  world.now = Math.max(world.now, event.at);
  const ctx: Ctx = { world, at: world.now, wall: event.wall ?? world.now, effects: [] };
  switch (event.type) {
    case 'deploy':
      deploy(ctx, event);
      break;
    case 'rollover':
      commands.rollover(ctx, event);
      break;
    case 'rollback':
      commands.rollback(ctx, event);
      break;
    case 'stop':
      commands.stop(ctx, event);
      break;
    case 'pause':
      pause(ctx, event);
      break;
    case 'resume':
      resume(ctx, event);
      break;
    case 'build-finished':
    case 'build-failed':
      buildEnded(ctx, event);
      break;
    case 'container-ready':
    case 'container-unready':
    case 'container-exited': {
      // Reports about containers the engine already terminated are expected and ignored.
      const app = appOfContainer(world, event.containerId);
      const c = app?.containers.get(event.containerId);
      if (!app || !c) break;
      if (event.type === 'container-ready') containerReady(ctx, app, c);
      else if (event.type === 'container-unready')
        containerFailed(ctx, app, c, `failed readiness: ${event.reason}`);
      else containerFailed(ctx, app, c, `exited (${event.signal ?? `code ${event.code}`})`);
      break;
    }
    case 'input-arrived':
      inputArrived(ctx, world.apps.get(event.appId), event.inputId, event.function, event.method);
      break;
    case 'input-cancelled': {
      const app = appOfInput(world, event.inputId);
      if (app) inputCancelled(ctx, app, event.inputId);
      break;
    }
    case 'input-finished':
    case 'input-failed': {
      const app = appOfContainer(world, event.containerId) ?? appOfInput(world, event.inputId);
      if (!app) break;
      const fn = world.inputs.get(event.inputId)?.function;
      const c =
        event.type === 'input-finished'
          ? inputFinished(ctx, app, event.inputId, event.containerId)
          : inputFailed(ctx, app, event.inputId, event.containerId, event);
      if (fn !== undefined) inputLeft(ctx, app, c, fn);
      break;
    }
    case 'tick':
      for (const app of world.apps.values()) {
        tickApp(ctx, app);
        recordMetrics(ctx, app);
      }
      break;
  }
  return { state: world, effects: ctx.effects };
}

function appOfInput(world: World, inputId: string): AppState | null {
  const appId = world.inputs.get(inputId)?.appId;
  return appId === undefined ? null : (world.apps.get(appId) ?? null);
}
