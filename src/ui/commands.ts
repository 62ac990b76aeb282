// What the watch screen asks of the app; runWatch maps each to a Provider call with the user.
import type { Strategy } from '../engine/types.ts';

/** A command the watch screen sends through its `onCommand` prop. */
export type UiCommand =
  | { id: 'rollout.rollback'; to: number }
  | { id: 'rollout.rollover'; strategy: Strategy }
  | { id: 'app.stop' }
  | { id: 'app.deploy' };
