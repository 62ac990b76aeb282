// Mapping between SQLite rows and the engine's domain types. Nested data (spec, fingerprints,
// metric container maps) is stored as JSON text; absent optional fields are stored as NULL and
// come back absent, so a value read equals the value saved.
import type {
  AppEvent,
  AppRecord,
  AppStatus,
  MetricSample,
  Outcome,
  Strategy,
  Version,
  VersionKind,
} from '../../engine/types.ts';

/** A row of `apps`. */
export interface AppRow {
  id: string;
  name: string;
  generation: number;
  status: string;
  created_at: number;
  stopped_at: number | null;
}

/** A row of `versions`. */
export interface VersionRow {
  app_id: string;
  number: number;
  kind: string;
  strategy: string;
  user: string;
  created_at: number;
  spec: string;
  spec_hash: string;
  image_ref: string;
  rollback_of: number | null;
  outcome: string;
  activated_at: number | null;
  template_epoch: number;
  secret_fingerprints: string;
}

/** A row of `events` (without its id). */
export interface EventRow {
  app_id: string;
  at: number;
  level: string;
  kind: string;
  message: string;
  version: number | null;
  container: string | null;
  detail: string | null;
}

/** A row of `metrics`. */
export interface MetricRow {
  app_id: string;
  at: number;
  containers: string;
  queued: number;
  in_flight: number;
  done: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** A row of `images`. */
export interface ImageRow {
  ref: string;
  path: string;
  created_at: number;
  size_bytes: number;
}

/** A row of `containers`. */
export interface ContainerRow {
  id: string;
  app_id: string;
  function: string;
  version: number;
  pid: number | null;
  started_at: number;
  start_ticks: number | null;
  port: number | null;
}

export function appToRow(app: AppRecord): AppRow {
  return {
    id: app.id,
    name: app.name,
    generation: app.generation,
    status: app.status,
    created_at: app.createdAt,
    stopped_at: app.stoppedAt,
  };
}

export function rowToApp(row: AppRow): AppRecord {
  return {
    id: row.id,
    name: row.name,
    generation: row.generation,
    status: row.status as AppStatus,
    createdAt: row.created_at,
    stoppedAt: row.stopped_at,
  };
}

export function versionToRow(appId: string, version: Version): VersionRow {
  return {
    app_id: appId,
    number: version.number,
    kind: version.kind,
    strategy: version.strategy,
    user: version.user,
    created_at: version.createdAt,
    spec: JSON.stringify(version.spec),
    spec_hash: version.specHash,
    image_ref: version.spec.image,
    rollback_of: version.rollbackOf,
    outcome: version.outcome,
    activated_at: version.activatedAt,
    template_epoch: version.templateEpoch,
    secret_fingerprints: JSON.stringify(version.secretFingerprints),
  };
}

export function rowToVersion(row: VersionRow): Version {
  return {
    number: row.number,
    kind: row.kind as VersionKind,
    strategy: row.strategy as Strategy,
    user: row.user,
    createdAt: row.created_at,
    spec: JSON.parse(row.spec),
    specHash: row.spec_hash,
    rollbackOf: row.rollback_of,
    templateEpoch: row.template_epoch,
    secretFingerprints: JSON.parse(row.secret_fingerprints),
    outcome: row.outcome as Outcome,
    activatedAt: row.activated_at,
  };
}

export function eventToRow(event: AppEvent): EventRow {
  return {
    app_id: event.appId,
    at: event.at,
    level: event.level,
    kind: event.kind,
    message: event.message,
    version: event.version ?? null,
    container: event.container ?? null,
    detail: event.detail ?? null,
  };
}

export function rowToEvent(row: EventRow): AppEvent {
  const event: AppEvent = {
    at: row.at,
    appId: row.app_id,
    level: row.level as AppEvent['level'],
    kind: row.kind,
    message: row.message,
  };
  if (row.version !== null) event.version = row.version;
  if (row.container !== null) event.container = row.container;
  if (row.detail !== null) event.detail = row.detail;
  return event;
}

export function metricToRow(sample: MetricSample): MetricRow {
  return {
    app_id: sample.appId,
    at: sample.at,
    containers: JSON.stringify(sample.containers),
    queued: sample.queued,
    in_flight: sample.inFlight,
    done: sample.done,
    failed: sample.failed,
    p50: sample.p50,
    p95: sample.p95,
    p99: sample.p99,
  };
}

export function rowToMetric(row: MetricRow): MetricSample {
  return {
    appId: row.app_id,
    at: row.at,
    containers: JSON.parse(row.containers),
    queued: row.queued,
    inFlight: row.in_flight,
    done: row.done,
    failed: row.failed,
    p50: row.p50,
    p95: row.p95,
    p99: row.p99,
  };
}
