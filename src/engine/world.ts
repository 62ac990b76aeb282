// The engine's state: every app cutover knows, with its containers, queues and counters.
// `step` owns it and changes it in place, so an input costs O(1) rather than a copy of the world.
import type { SecretFingerprints } from './events.ts';
import type { InputQueue } from './input-queue.ts';
import { defaultEngineOptions, type EngineOptions } from './options.ts';
import type {
  AppEvent,
  AppRecord,
  Container,
  Input,
  MetricSample,
  Rollout,
  Spec,
  Strategy,
  Version,
} from './types.ts';

/** A deploy waiting for its image to build (D4): no version number is used until it succeeds. */
export interface PendingBuild {
  buildId: string;
  requestId: string;
  appName: string;
  spec: Spec;
  specHash: string;
  strategy: Strategy;
  user: string;
  secretFingerprints: SecretFingerprints;
  startedAt: number;
}

/** H1 back-off for one template: consecutive failures and when the next start may happen. */
export interface Backoff {
  failures: number;
  until: number;
}

/** What one second of traffic looked like, until the tick that records it (M1). */
export interface MetricWindow {
  startedAt: number;
  done: number;
  failed: number;
  latencies: number[];
}

export interface AppState {
  record: AppRecord;
  /** Index = number - 1 (D1: numbers are dense and never reused). */
  versions: Version[];
  /** The active version's number, or null before the first rollout finishes. */
  current: number | null;
  rollout: Rollout | null;
  /** Containers that have not exited, by id. */
  containers: Map<string, Container>;
  /** Inputs in flight on each container. */
  inFlightOn: Map<string, Set<string>>;
  /** Queued input ids per function, front first. */
  queues: Map<string, InputQueue>;
  queued: number;
  inFlight: number;
  done: number;
  failed: number;
  /** Q1: inputs whose client left while they were queued (neither done nor failed). */
  cancelled: number;
  /** By container template (H1): a template's back-off outlives the rollout that earned it. */
  backoff: Map<string, Backoff>;
  window: MetricWindow;
  recentEvents: AppEvent[];
  recentMetrics: MetricSample[];
  /** Set when the newest version's rollout failed; cleared by the next rollout. */
  failure: { version: number; reason: string } | null;
}

export interface World {
  now: number;
  options: EngineOptions;
  apps: Map<string, AppState>;
  /** The newest app of each name: commands by name act on it. */
  latestByName: Map<string, string>;
  /** Which app each live container belongs to. */
  containerApp: Map<string, string>;
  /** Inputs that are queued or in flight. */
  inputs: Map<string, Input>;
  inputSeq: number;
  /** Deploys whose image is building, by build id, and the one build of each app name. */
  builds: Map<string, PendingBuild>;
  buildByName: Map<string, string>;
  /** Source of container and build ids; restored above any id used before a restart. */
  sequence: number;
}

export function createWorld(options: Partial<EngineOptions> = {}, sequence = 0): World {
  return {
    now: 0,
    options: { ...defaultEngineOptions, ...options },
    apps: new Map(),
    latestByName: new Map(),
    containerApp: new Map(),
    inputs: new Map(),
    inputSeq: 0,
    builds: new Map(),
    buildByName: new Map(),
    sequence,
  };
}

export function createAppState(record: AppRecord, now: number): AppState {
  return {
    record,
    versions: [],
    current: null,
    rollout: null,
    containers: new Map(),
    inFlightOn: new Map(),
    queues: new Map(),
    queued: 0,
    inFlight: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
    backoff: new Map(),
    window: { startedAt: now, done: 0, failed: 0, latencies: [] },
    recentEvents: [],
    recentMetrics: [],
    failure: null,
  };
}

/** The version the app is converging to: the rollout's target, else the active one. */
export function desiredVersion(app: AppState): Version | null {
  const number = app.rollout?.to ?? app.current;
  return number === null ? null : (app.versions[number - 1] ?? null);
}

export function versionOf(app: AppState, number: number | null): Version | null {
  return number === null ? null : (app.versions[number - 1] ?? null);
}
