// The engine's tunables. Defaults suit the local platform; tests and the simulator pass their own.

export interface EngineOptions {
  /** H1: new-version container failures in one rollout (per function) that mark it failed. */
  crashLoopLimit: number;
  /** An input is answered with `retries-exhausted` after this many failed attempts. */
  maxInputAttempts: number;
  /** T1: how long containers of a stopped app may drain before they are terminated. */
  stopDrainMs: number;
  /** SIGTERM → SIGKILL grace for a container that finished draining or failed. */
  terminateGraceMs: number;
  /** H1 back-off before replacing a failed container: base × 2^(failures-1), capped. */
  restartBackoffMs: number;
  restartBackoffMaxMs: number;
  /** Events kept in memory per app for snapshots (the store keeps them all). */
  recentEvents: number;
  /** Metric samples kept in memory per app for charts (M1: bounded). */
  recentMetrics: number;
}

export const defaultEngineOptions: EngineOptions = {
  crashLoopLimit: 3,
  maxInputAttempts: 3,
  stopDrainMs: 5_000,
  terminateGraceMs: 5_000,
  restartBackoffMs: 500,
  restartBackoffMaxMs: 30_000,
  recentEvents: 50,
  recentMetrics: 600,
};
