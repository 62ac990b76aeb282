// What the simulator's actors (the operators, the platform) share with the loop that runs them:
// the actions they schedule on the simulated clock, the seeded random source, and the one way
// into the engine (`send`, which steps it and checks every invariant).
import type { EngineEvent } from '../engine/events.ts';
import type { World } from '../engine/world.ts';
import type { InvariantTracker } from './invariants.ts';
import type { Rng } from './rng.ts';
import type { Violation } from './violation.ts';

/** The one app the simulated operators work on. */
export const APP = 'shop';

/** An engine event before the simulated clock stamps it. */
export type Unstamped = EngineEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

/** What the simulated world does next. */
export type Action =
  | { kind: 'engine'; event: Unstamped }
  | { kind: 'operator' }
  | { kind: 'arrivals' }
  | { kind: 'fault' }
  | { kind: 'crash' }
  /** P1: the operator who paused a rollout resumes it (also in the quiet period, so it ends). */
  | { kind: 'resume' }
  | {
      kind: 'finish';
      inputId: string;
      containerId: string;
      attempt: number;
      ok: boolean;
      /** A failed attempt that was refused before anything reached the app (R1). */
      unsent: boolean;
    };

/** The simulation loop as its actors see it. */
export interface SimLoop {
  /** The engine's state now (a restarted daemon replaces it). */
  readonly world: World;
  /** The simulated clock, in ms. */
  readonly now: number;
  readonly rng: Rng;
  readonly tracker: InvariantTracker;
  schedule(at: number, action: Action): void;
  /** One real engine step, then its effects carried out and every invariant checked. */
  send(event: Unstamped): Violation | null;
}
