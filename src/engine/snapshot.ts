// What a Provider shows of one app at one moment: the only thing the UI renders.
import type { AppEvent, AppStatus, ContainerState, MetricSample, Outcome, VersionKind } from './types.ts';

/**
 * What a version runs, as much as a rollback's or rollover's dialog shows of it ("what changes").
 * Secret values never appear: only names and a short keyed fingerprint (B2).
 */
export interface SpecSummary {
  image: string;
  functions: { name: string; command: string; containers: number; concurrency: number }[];
  env: Record<string, string>;
  /** Secret name → the start of its keyed fingerprint when the version was made; null when unset. */
  secrets: Record<string, string | null>;
  /** Containers of versions with the same template are interchangeable: a rollback keeps them (B1). */
  template: string;
  /** What a rollback to it cannot take back on this platform (B2): secret values, volumes, DNS… */
  outside: string[];
}

/** A version as history lists it (`specHash` and `image` identify its spec; `spec` summarizes it). */
export interface VersionSummary {
  version: number;
  kind: VersionKind;
  /** `rolling`/`recreate` locally; the platform's own word elsewhere (Fly's `bluegreen`). */
  strategy: string;
  user: string;
  createdAt: number;
  outcome: Outcome;
  rollbackOf: number | null;
  image: string;
  specHash: string;
  /** What the platform says of it (a change-cause, a release description, a tag); null if nothing. */
  description?: string | null;
  /** When it first went active; null when it never did (a rollback to it is marked so). */
  activatedAt?: number | null;
  /** What it runs, where the platform knows; absent elsewhere. */
  spec?: SpecSummary;
}

/** A rollout in progress. */
export interface RolloutSummary {
  from: number | null;
  to: number;
  kind: VersionKind;
  /** The version whose spec it runs: a rollback's target, the version a rollover repeats; null for a deploy. */
  specOf?: number | null;
  strategy: string;
  /** `building` is never reported here (no version exists yet); see `building`. */
  phase: 'starting' | 'rolling' | 'draining' | 'recreating';
  /** The platform's own progress line (kubectl's `Waiting for deployment …`), where it has one. */
  message?: string | null;
  /** New-version containers ready, against their target, over all functions. */
  ready: number;
  target: number;
  startedAt: number;
}

export interface FunctionSummary {
  name: string;
  /** Where its inputs go in, if the platform has such an address. */
  url: string | null;
  target: number;
  /** Inputs one container takes at once; null where the platform has no such setting. */
  concurrency: number | null;
  /** A container not ready after this long fails (H1); absent where not reported. */
  startTimeoutMs?: number | null;
}

export interface ContainerSummary {
  id: string;
  function: string;
  version: number;
  state: ContainerState;
  /** Null where the platform does not report it. */
  inFlight: number | null;
  startedAt: number | null;
  /** Why it is not ready or failed (`CrashLoopBackOff`, `exited 3`, `readiness 503 /healthz`); null when nothing to say. */
  reason?: string | null;
  /** Times the platform restarted it in place; null where not reported. */
  restarts?: number | null;
  /** Where it runs (a node, a Fly region), where the platform says. */
  location?: string | null;
}

/**
 * Input counters. Every field is null when the platform does not report it (Kubernetes has no
 * request queue of its own), which the screen shows as "not reported", never as 0.
 */
export interface InputSummary {
  queued: number | null;
  inFlight: number | null;
  /** Totals since the app was created or the platform last restarted its counters. */
  done: number | null;
  failed: number | null;
  /** Q1: inputs whose client left while they were queued; absent where not reported. */
  cancelled?: number | null;
  /** Per second, over the last recorded second. */
  donePerSecond: number | null;
  failedPerSecond: number | null;
  p50: number | null;
  p95: number | null;
}

/** One app on one platform, as the watch screen and `status` see it. */
export interface Snapshot {
  platform: string;
  app: string;
  appId: string;
  status: AppStatus;
  /** The active version, or null before the first rollout finishes. */
  version: number | null;
  strategy: string;
  rollout: RolloutSummary | null;
  /** P1: the rollout is paused (Kubernetes `spec.paused`). */
  paused?: boolean;
  /** The version `rollback` with no number goes to (never the one being left), or null. */
  rollbackTarget?: number | null;
  /** Why the inputs are null, said on the screen and in `status --json`; null when reported. */
  inputsNote?: string | null;
  /** A deploy whose image is still building (D4), or null. */
  building: { since: number; user: string } | null;
  /**
   * The newest version's rollout failed and nothing newer has started: why, and (where known) the
   * container whose failure decided it, and what its readiness probe last answered.
   */
  failed: { version: number; reason: string; container?: string | null; probe?: string | null } | null;
  functions: FunctionSummary[];
  containers: ContainerSummary[];
  inputs: InputSummary;
  /** Newest last. */
  events: AppEvent[];
  /** Newest first; maybe only the newest of them (see `historyTotal`). */
  history: VersionSummary[];
  /** How many versions there are in all, where `history` holds only the newest. */
  historyTotal?: number;
  /** Per-second samples, oldest first, for charts (M1). Empty where not reported. */
  metrics: MetricSample[];
  /** When this snapshot was taken. */
  at: number;
}
