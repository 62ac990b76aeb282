// The local platform's history in SQLite. The daemon writes a version or event here before it
// carries out what it records (write-ahead), so after a crash every app's engine state can be
// rebuilt from this file alone (`loadAll`).
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AppEvent, AppRecord, MetricSample, Version } from '../../engine/types.ts';
import { migrate } from './migrations.ts';
import { ensureOwnerOnlyDirectory, ensureOwnerOnlyFile, restrictExistingFiles } from './owner-only.ts';
import {
  appToRow,
  eventToRow,
  metricToRow,
  rowToApp,
  rowToEvent,
  rowToMetric,
  rowToVersion,
  versionToRow,
} from './rows.ts';
import { prepareStatements, type Statements } from './statements.ts';

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

/** The SQLite store: apps, versions, events, metrics, images, containers and counters. */
export class Store {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly statements: Statements;
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
