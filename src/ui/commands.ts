// What the watch screen asks of the app; runWatch maps each to a Provider call with the user.

/** A command the watch screen sends through its `onCommand` prop. */
export type UiCommand =
  | { id: 'rollout.rollback'; to: number }
  | { id: 'rollout.rollover'; strategy: string | undefined }
  | { id: 'app.stop' }
  | { id: 'app.deploy' }
  | { id: 'rollout.pause' }
  | { id: 'rollout.resume' };
