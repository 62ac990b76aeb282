// The store's SQL, prepared once per connection: the daemon writes metrics and events every second.
import type Database from 'better-sqlite3';
import type { AppRow, ContainerRow, EventRow, ImageRow, MetricRow, VersionRow } from './rows.ts';

/**
 * An app's versions newest first, through versions_by_app_number: a range search with no sort,
 * however long the history. Exported so a test can check its query plan.
 */
export const VERSIONS_NEWEST_FIRST_SQL =
  'SELECT * FROM versions WHERE app_id = ? AND number < ? ORDER BY number DESC LIMIT ?';

/** Every statement the store runs, prepared on `db`. */
export function prepareStatements(db: Database.Database) {
  return {
    upsertApp: db.prepare<[AppRow], void>(`
      INSERT INTO apps (id, name, generation, status, created_at, stopped_at)
      VALUES (@id, @name, @generation, @status, @created_at, @stopped_at)
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, generation = excluded.generation, status = excluded.status,
        created_at = excluded.created_at, stopped_at = excluded.stopped_at`),
    apps: db.prepare<[], AppRow>(
      'SELECT id, name, generation, status, created_at, stopped_at FROM apps ORDER BY seq',
    ),
    upsertVersion: db.prepare<[VersionRow], void>(`
      INSERT INTO versions (app_id, number, kind, strategy, user, created_at, spec, spec_hash, image_ref,
        rollback_of, outcome, activated_at, template_epoch, secret_fingerprints)
      VALUES (@app_id, @number, @kind, @strategy, @user, @created_at, @spec, @spec_hash, @image_ref,
        @rollback_of, @outcome, @activated_at, @template_epoch, @secret_fingerprints)
      ON CONFLICT (app_id, number) DO UPDATE SET
        kind = excluded.kind, strategy = excluded.strategy, user = excluded.user,
        created_at = excluded.created_at, spec = excluded.spec, spec_hash = excluded.spec_hash,
        image_ref = excluded.image_ref, rollback_of = excluded.rollback_of, outcome = excluded.outcome,
        activated_at = excluded.activated_at, template_epoch = excluded.template_epoch,
        secret_fingerprints = excluded.secret_fingerprints`),
    versionsNewestFirst: db.prepare<[string, number, number], VersionRow>(VERSIONS_NEWEST_FIRST_SQL),
    allVersionsAscending: db.prepare<[], VersionRow>('SELECT * FROM versions ORDER BY app_id, number'),
    // A stopped app is never started again (T1): its images go once it stopped before the cutoff.
    imageRefsInUse: db
      .prepare<[number], string>(`
        SELECT DISTINCT v.image_ref FROM versions v JOIN apps a ON a.id = v.app_id
        WHERE a.status = 'deployed' OR a.stopped_at IS NULL OR a.stopped_at >= ?`)
      .pluck(),
    appendEvent: db.prepare<[EventRow], void>(`
      INSERT INTO events (app_id, at, level, kind, message, version, container, detail)
      VALUES (@app_id, @at, @level, @kind, @message, @version, @container, @detail)`),
    lastEvents: db.prepare<[string, number], EventRow>(`
      SELECT * FROM (
        SELECT id, app_id, at, level, kind, message, version, container, detail
        FROM events WHERE app_id = ? ORDER BY id DESC LIMIT ?
      ) ORDER BY id`),
    upsertMetric: db.prepare<[MetricRow], void>(`
      INSERT INTO metrics (app_id, at, containers, queued, in_flight, done, failed, p50, p95, p99)
      VALUES (@app_id, @at, @containers, @queued, @in_flight, @done, @failed, @p50, @p95, @p99)
      ON CONFLICT (app_id, at) DO UPDATE SET
        containers = excluded.containers, queued = excluded.queued, in_flight = excluded.in_flight,
        done = excluded.done, failed = excluded.failed, p50 = excluded.p50, p95 = excluded.p95,
        p99 = excluded.p99`),
    // A primary-key range delete: when nothing has aged out it is a single index seek.
    trimMetrics: db.prepare<[string, number], void>('DELETE FROM metrics WHERE app_id = ? AND at < ?'),
    metricsOlderThan: db.prepare<[number], void>('DELETE FROM metrics WHERE at < ?'),
    eventsOlderThan: db.prepare<[number], void>('DELETE FROM events WHERE at < ?'),
    eventAppIds: db.prepare<[], string>('SELECT DISTINCT app_id FROM events').pluck(),
    // Through events_by_app: everything of the app older than its Nth newest event.
    eventsBeyond: db.prepare<[string, string, number], void>(`
      DELETE FROM events WHERE app_id = ? AND id <= (
        SELECT id FROM events WHERE app_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`),
    metricsSince: db.prepare<[string, number], MetricRow>(
      'SELECT * FROM metrics WHERE app_id = ? AND at >= ? ORDER BY at',
    ),
    upsertImage: db.prepare<[ImageRow], void>(`
      INSERT INTO images (ref, path, created_at, size_bytes) VALUES (@ref, @path, @created_at, @size_bytes)
      ON CONFLICT (ref) DO UPDATE SET
        path = excluded.path, created_at = excluded.created_at, size_bytes = excluded.size_bytes`),
    images: db.prepare<[], ImageRow>('SELECT * FROM images ORDER BY created_at, ref'),
    deleteImage: db.prepare<[string], void>('DELETE FROM images WHERE ref = ?'),
    // A container is saved before its process starts (pid null) and again with its pid; an
    // upsert never clears exited_at.
    upsertContainer: db.prepare<[ContainerRow], void>(`
      INSERT INTO containers (id, app_id, function, version, pid, started_at, start_ticks, port)
      VALUES (@id, @app_id, @function, @version, @pid, @started_at, @start_ticks, @port)
      ON CONFLICT (id) DO UPDATE SET
        app_id = excluded.app_id, function = excluded.function, version = excluded.version,
        pid = excluded.pid, started_at = excluded.started_at, start_ticks = excluded.start_ticks,
        port = excluded.port`),
    containerExited: db.prepare<[number, string], void>(
      'UPDATE containers SET exited_at = ? WHERE id = ? AND exited_at IS NULL',
    ),
    liveContainers: db.prepare<[], ContainerRow>(`
      SELECT id, app_id, function, version, pid, started_at, start_ticks, port FROM containers
      WHERE exited_at IS NULL ORDER BY started_at, id`),
    assignedPort: db
      .prepare<[string, string], number>(
        'SELECT port FROM assigned_ports WHERE app_name = ? AND function = ?',
      )
      .pluck(),
    assignPort: db.prepare<[string, string, number], void>(`
      INSERT INTO assigned_ports (app_name, function, port) VALUES (?, ?, ?)
      ON CONFLICT (app_name, function) DO UPDATE SET port = excluded.port`),
    raiseCounter: db.prepare<[string, number]>(`
        INSERT INTO counters (name, value) VALUES (?, ?)
        ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`),
    counter: db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?'),
    nextSequence: db
      .prepare<[string], number>(`
        INSERT INTO counters (name, value) VALUES (?, 1)
        ON CONFLICT (name) DO UPDATE SET value = value + 1
        RETURNING value`)
      .pluck(),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;
