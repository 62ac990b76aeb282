// The local platform's history in SQLite. The daemon writes a version or event here before it
// carries out what it records (write-ahead), so after a crash every app's engine state can be
// rebuilt from this file alone (`loadAll`).
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AppEvent, AppRecord, MetricSample, Version } from '../../engine/types.ts';
import { migrate } from './migrations.ts';
import { ensureOwnerOnlyDirectory, ensureOwnerOnlyFile, restrictExistingFiles } from './owner-only.ts';
import {
  type AppRow,
  appToRow,
  type EventRow,
  eventToRow,
  type MetricRow,
  metricToRow,
  rowToApp,
  rowToEvent,
  rowToMetric,
  rowToVersion,
  type VersionRow,
  versionToRow,
} from './rows.ts';

/** Options for `Store.open`. */
export interface StoreOptions {
  /** M1: how long per-second samples are kept, per app. Default 3600. */
  metricsRetentionSeconds?: number;
}

/** How long and how many events are kept (M1: nothing grows without bound). */
export interface EventRetention {
  /** Events older than this many ms go. */
  maxAgeMs: number;
  /** Per app, only this many newest are kept. */
  maxPerApp: number;
}

export const DEFAULT_EVENT_RETENTION: EventRetention = { maxAgeMs: 30 * 24 * 3600 * 1000, maxPerApp: 10_000 };

/** A snapshot of an app's files that versions run (B1: rollback runs the old image). */
export interface ImageRecord {
  ref: string;
  path: string;
  createdAt: number;
  sizeBytes: number;
}

/** A container process as the daemon started it, kept so a restarted daemon can find it again. */
export interface ContainerRecord {
  id: string;
  appId: string;
  function: string;
  version: number;
  pid: number | null;
  startedAt: number;
  /** When its process started, in clock ticks since boot: with the pid, what identifies it. */
  startTicks?: number | null;
  /** The port it listens on. */
  port?: number | null;
}

const DEFAULT_METRICS_RETENTION_SECONDS = 3600;
const EVENTS_DEFAULT_LIMIT = 50;
// LIMIT -1 is SQLite's "no limit"; a `before` past any version number means "from the newest".
const NO_LIMIT = -1;
const NO_BEFORE = Number.MAX_SAFE_INTEGER;

/**
 * An app's versions newest first, through versions_by_app_number: a range search with no sort,
 * however long the history. Exported so a test can check its query plan.
 */
export const VERSIONS_NEWEST_FIRST_SQL =
  'SELECT * FROM versions WHERE app_id = ? AND number < ? ORDER BY number DESC LIMIT ?';

interface ImageRow {
  ref: string;
  path: string;
  created_at: number;
  size_bytes: number;
}

interface ContainerRow {
  id: string;
  app_id: string;
  function: string;
  version: number;
  pid: number | null;
  started_at: number;
  start_ticks: number | null;
  port: number | null;
}

function prepareStatements(db: Database.Database) {
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

/** The SQLite store: apps, versions, events, metrics, images, containers and counters. */
export class Store {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly metricsRetentionMs: number;
  private readonly saveAndTrimMetrics: (sample: MetricSample) => void;

  private constructor(file: string, db: Database.Database, metricsRetentionSeconds: number) {
    this.file = file;
    this.db = db;
    this.metricsRetentionMs = metricsRetentionSeconds * 1000;
    // Prepared once: the daemon writes metrics and events every second.
    this.statements = prepareStatements(db);
    this.saveAndTrimMetrics = db.transaction((sample: MetricSample) => {
      this.statements.upsertMetric.run(metricToRow(sample));
      this.statements.trimMetrics.run(sample.appId, sample.at - this.metricsRetentionMs);
    });
  }

  /** Opens (creating if needed) the database file, owner-only, and brings its schema up to date. */
  static open(file: string, options: StoreOptions = {}): Store {
    const inMemory = file === ':memory:';
    if (!inMemory) {
      ensureOwnerOnlyDirectory(path.dirname(file));
      // Created 0600 before SQLite opens it, so it is never readable by others, whatever the umask.
      ensureOwnerOnlyFile(file);
    }
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL'); // readers (the CLI) never block the daemon's writes
      db.pragma('synchronous = FULL'); // write-ahead: a recorded version survives power loss too
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db);
      if (!inMemory) restrictExistingFiles([`${file}-wal`, `${file}-shm`]);
    } catch (error) {
      db.close();
      throw error;
    }
    return new Store(file, db, options.metricsRetentionSeconds ?? DEFAULT_METRICS_RETENTION_SECONDS);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` atomically; nested calls become savepoints. */
  transaction<T>(fn: () => T): T {
    // Immediate: take the write lock up front, so a second writer waits (busy_timeout) instead of
    // failing when a read transaction would have to upgrade.
    return this.db.transaction(fn).immediate();
  }

  /** Upsert by id; an app keeps its creation position when updated (stopped, T1). */
  saveApp(app: AppRecord): void {
    this.statements.upsertApp.run(appToRow(app));
  }

  /** Upsert by (appId, number). The app must be saved in the same transaction or before. */
  saveVersion(appId: string, version: Version): void {
    this.statements.upsertVersion.run(versionToRow(appId, version));
  }

  appendEvent(event: AppEvent): void {
    this.statements.appendEvent.run(eventToRow(event));
  }

  /** Saves a sample (one per app and `at`; a second one replaces it) and trims what aged out (M1). */
  saveMetrics(sample: MetricSample): void {
    this.saveAndTrimMetrics(sample);
  }

  /**
   * Applies retention to every app, stopped ones included: samples older than the metrics
   * retention, events past the event retention. The daemon runs it every minute.
   */
  applyRetention(now: number, events: EventRetention = DEFAULT_EVENT_RETENTION): void {
    this.transaction(() => {
      this.statements.metricsOlderThan.run(now - this.metricsRetentionMs);
      this.statements.eventsOlderThan.run(now - events.maxAgeMs);
      for (const appId of this.statements.eventAppIds.all())
        this.statements.eventsBeyond.run(appId, appId, events.maxPerApp);
    });
  }

  /** Every app, stopped ones included, in creation order. */
  apps(): AppRecord[] {
    return this.statements.apps.all().map(rowToApp);
  }

  /** An app's versions newest first: at most `limit`, numbered below `before` when given. */
  versions(appId: string, options: { limit?: number; before?: number } = {}): Version[] {
    return this.statements.versionsNewestFirst
      .all(appId, options.before ?? NO_BEFORE, options.limit ?? NO_LIMIT)
      .map(rowToVersion);
  }

  /** Every app with all its versions ascending, read in one snapshot, to rebuild engine state. */
  loadAll(): Array<{ app: AppRecord; versions: Version[] }> {
    return this.db
      .transaction(() => {
        const byApp = new Map<string, Version[]>();
        for (const row of this.statements.allVersionsAscending.iterate()) {
          const versions = byApp.get(row.app_id) ?? [];
          versions.push(rowToVersion(row));
          byApp.set(row.app_id, versions);
        }
        return this.apps().map((app) => ({ app, versions: byApp.get(app.id) ?? [] }));
      })
      .deferred();
  }

  /** The last `limit` (default 50) events of an app, oldest first (newest last). */
  events(appId: string, options: { limit?: number } = {}): AppEvent[] {
    return this.statements.lastEvents.all(appId, options.limit ?? EVENTS_DEFAULT_LIMIT).map(rowToEvent);
  }

  /** An app's samples at or after `since`, oldest first. */
  metrics(appId: string, since: number): MetricSample[] {
    return this.statements.metricsSince.all(appId, since).map(rowToMetric);
  }

  saveImage(image: ImageRecord): void {
    this.statements.upsertImage.run({
      ref: image.ref,
      path: image.path,
      created_at: image.createdAt,
      size_bytes: image.sizeBytes,
    });
  }

  /** Every image, oldest first. */
  images(): ImageRecord[] {
    return this.statements.images
      .all()
      .map((row) => ({ ref: row.ref, path: row.path, createdAt: row.created_at, sizeBytes: row.size_bytes }));
  }

  deleteImage(ref: string): void {
    this.statements.deleteImage.run(ref);
  }

  /**
   * Image refs some version runs: B1 may roll back to any version of a deployed app, so these
   * must not be deleted. A stopped app's are kept only if it stopped at or after `stoppedSince`.
   */
  imageRefsInUse(stoppedSince = 0): Set<string> {
    return new Set(this.statements.imageRefsInUse.all(stoppedSince));
  }

  /** Upsert by id; save it before spawning (pid null) and again once the pid is known. */
  saveContainer(container: ContainerRecord): void {
    this.statements.upsertContainer.run({
      id: container.id,
      app_id: container.appId,
      function: container.function,
      version: container.version,
      pid: container.pid,
      started_at: container.startedAt,
      start_ticks: container.startTicks ?? null,
      port: container.port ?? null,
    });
  }

  /** Marks the container exited; the first recorded exit time is kept. */
  containerExited(id: string, at: number): void {
    this.statements.containerExited.run(at, id);
  }

  /** Containers not marked exited, oldest first: after a restart these are the possible orphans. */
  liveContainers(): ContainerRecord[] {
    return this.statements.liveContainers.all().map((row) => ({
      id: row.id,
      appId: row.app_id,
      function: row.function,
      version: row.version,
      pid: row.pid,
      startedAt: row.started_at,
      startTicks: row.start_ticks,
      port: row.port,
    }));
  }

  /** The port assigned to a function that names none (A1: it keeps its URL), if any. */
  assignedPort(appName: string, fn: string): number | null {
    return this.statements.assignedPort.get(appName, fn) ?? null;
  }

  assignPort(appName: string, fn: string, port: number): void {
    this.statements.assignPort.run(appName, fn, port);
  }

  /** A persistent counter (e.g. the next container sequence number): increments and returns it, from 1. */
  nextSequence(name: string): number {
    return this.statements.nextSequence.get(name)!;
  }

  /** A counter's value (0 if never set). */
  counter(name: string): number {
    return this.statements.counter.get(name)?.value ?? 0;
  }

  /** Raises a counter to at least `value` (never lowers it): the engine's id sequence survives restarts. */
  raiseCounter(name: string, value: number): void {
    this.statements.raiseCounter.run(name, value);
  }
}
