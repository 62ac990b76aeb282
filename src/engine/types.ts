// The domain's words, as DESIGN.md defines them. Everything here is plain data: it crosses the
// daemon's socket as JSON and is stored in SQLite as JSON.

/** How a rollout replaces containers (S1, S2). */
export type Strategy = 'rolling' | 'recreate';

/** Why a version exists. */
export type VersionKind = 'deploy' | 'rollover' | 'rollback';

/** Where a version's rollout ended up. Exactly one version of a deployed app is `active`. */
export type Outcome = 'rolling' | 'active' | 'superseded' | 'failed';

/** An app is `deployed` until it is stopped (T1); a stopped app is never started again. */
export type AppStatus = 'deployed' | 'stopped';

/** A container's life: starting → ready → draining → exited, or failed at any point. */
export type ContainerState = 'starting' | 'ready' | 'draining' | 'exited' | 'failed';

/** An input's life: queued → in-flight → done / failed; or cancelled while queued (Q1). */
export type InputState = 'queued' | 'in-flight' | 'done' | 'failed' | 'cancelled';

/**
 * R1: when an input that may have reached the app is sent to another container. `idempotent`:
 * only GET, HEAD, OPTIONS, PUT and DELETE; `unsent`: only inputs that provably never reached it;
 * `never`: no input is ever sent twice.
 */
export type RetryPolicy = 'idempotent' | 'unsent' | 'never';

/** One kind of container in an app, as the manifest describes it. */
export interface FunctionSpec {
  name: string;
  /** A string runs through `sh -c` like a Procfile line; an array runs as is. */
  command: string | string[];
  /** The proxy's port on 127.0.0.1; 0 lets the platform assign one. */
  port: number;
  /** Target count of ready containers. */
  containers: number;
  /** Inputs one container takes at once. */
  concurrency: number;
  /** `port` (the port accepts connections) or an HTTP path that must answer 2xx. */
  ready: string;
  drainTimeoutMs: number;
  /** A container not ready after this long counts as failing readiness (H1). */
  startTimeoutMs: number;
  /** New containers started ahead of old ones retiring during a rolling rollout (≥ 1). */
  maxSurge: number;
  /** R1: which inputs may be sent to another container after an attempt failed or was cut. */
  retry: RetryPolicy;
  /** Q1: inputs waiting for a container at most; more are answered 503 at once. */
  maxQueue: number;
  /** Q1: an input queued this long is answered 503. */
  queueTimeoutMs: number;
  /** Request bodies larger than this are answered 413. */
  maxBodyBytes: number;
  /** An attempt whose container sends no response head within this long fails (R1 decides). */
  requestTimeoutMs: number;
  /** H1: readiness keeps being probed every period once ready; this many failures in a row is unready. */
  probePeriodMs: number;
  probeTimeoutMs: number;
  probeFailures: number;
  /** H1: a new version's container is judged this long after it first became ready (minReadySeconds). */
  minReadyMs: number;
}

/** Everything that defines a version; its hash decides whether a deploy changes anything (D2). */
export interface Spec {
  functions: FunctionSpec[];
  env: Record<string, string>;
  /** Content address of the image: the app's files plus its build command. */
  image: string;
  build: string | null;
  /** Names of the secrets the containers expect; values never enter a spec (B2). */
  secrets: string[];
  strategy: Strategy;
  /** H1: roll back by itself when a new version crash-loops. */
  autoRollback: boolean;
}

/** A numbered entry in an app's history. */
export interface Version {
  number: number;
  kind: VersionKind;
  strategy: Strategy;
  user: string;
  /** Milliseconds since the epoch, from the event that created it. */
  createdAt: number;
  spec: Spec;
  specHash: string;
  /** For kind `rollback`: the version whose spec this one runs. */
  rollbackOf: number | null;
  /**
   * Containers whose template carries the same epoch and spec hash are interchangeable.
   * Deploys and rollovers take their own number (so every container is replaced, D3 and O1);
   * a rollback takes its target's, so the target's containers are kept (B1).
   */
  templateEpoch: number;
  /** Keyed fingerprints of the secrets as they were when this version was created (B2). */
  secretFingerprints: Record<string, string | null>;
  outcome: Outcome;
  /** When the version first became active, if it ever did. */
  activatedAt: number | null;
}

/** One running (or finished) instance of a function at one version. */
export interface Container {
  id: string;
  appId: string;
  function: string;
  version: number;
  template: string;
  state: ContainerState;
  /** False once draining or terminated: no new inputs are routed to it. */
  accepting: boolean;
  /** Inputs it takes at once (its function's concurrency at its version). */
  concurrency: number;
  inFlight: number;
  startedAt: number;
  readyAt: number | null;
  drainStartedAt: number | null;
}

/** One unit of work routed to a container. */
export interface Input {
  id: string;
  appId: string;
  function: string;
  state: InputState;
  /** Times it was routed to a container. */
  attempts: number;
  /** Attempts that failed on a container (not counting requeues a rollout caused). */
  failedAttempts: number;
  containerId: string | null;
  /** The HTTP method, for R1 (`GET`, `POST`, …). */
  method: string;
  arrivedAt: number;
  /** When it last joined the queue (Q1's queue_timeout counts from here). */
  queuedAt: number;
  /** An attempt may have reached the app (R1: only retried when the policy allows it). */
  reached: boolean;
  /** Arrival order: requeued inputs go back in it (several arrive in one millisecond). */
  seq: number;
}

/** The transition from one version's containers to another's. */
export interface Rollout {
  from: number | null;
  to: number;
  kind: VersionKind;
  strategy: Strategy;
  startedAt: number;
  /** New-version container failures during this rollout (H1 crash loop). */
  failures: Record<string, number>;
  /**
   * P1: set while paused, to the number of new-version containers each function had then; a
   * paused rollout starts no container beyond them and drains no old one.
   */
  paused?: Record<string, number> | null;
}

/** A line of the app's event log. */
export interface AppEvent {
  at: number;
  appId: string;
  level: 'info' | 'warn' | 'error';
  /** A short machine-readable kind: `build-started`, `container-ready`, `rollout-done`, … */
  kind: string;
  message: string;
  version?: number;
  container?: string;
  /** Longer text kept with the event, such as a failed build's output. */
  detail?: string;
}

/** M1: what the engine records per app every second. */
export interface MetricSample {
  appId: string;
  at: number;
  /** Containers by version and state: `{ "3": { "ready": 2, "draining": 1 } }`. */
  containers: Record<string, Partial<Record<ContainerState, number>>>;
  queued: number;
  inFlight: number;
  done: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** The identity of an app: its name plus a generation that a deploy after a stop increments. */
export interface AppRecord {
  id: string;
  name: string;
  generation: number;
  status: AppStatus;
  createdAt: number;
  stoppedAt: number | null;
}

/** `shop` for the first app of a name, `shop#2` for the one deployed after it was stopped. */
export function appIdFor(name: string, generation: number): string {
  return generation === 1 ? name : `${name}#${generation}`;
}
