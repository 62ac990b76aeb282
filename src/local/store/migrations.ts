// The store's schema as an ordered list of migrations. PRAGMA user_version holds how many have
// run; a migration is never edited once released, only followed by a new one.
import type Database from 'better-sqlite3';

/** One step of the schema; applied at most once per database, in list order. */
export interface Migration {
  name: string;
  up: (db: Database.Database) => void;
}

/** Name of the index that lists an app's versions newest first (history table, rollback targets). */
export const VERSIONS_INDEX = 'versions_by_app_number';

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'initial schema',
    up: (db) => {
      // No IF NOT EXISTS: running a migration twice is a bug, and this makes it fail loudly.
      db.exec(`
        CREATE TABLE apps (
          seq INTEGER PRIMARY KEY AUTOINCREMENT, -- creation order
          id TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          generation INTEGER NOT NULL,
          status TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          stopped_at INTEGER
        );

        CREATE TABLE versions (
          -- Deferred so a transaction may record a version before its app (checked at commit).
          app_id TEXT NOT NULL REFERENCES apps (id) DEFERRABLE INITIALLY DEFERRED,
          number INTEGER NOT NULL,
          kind TEXT NOT NULL,
          strategy TEXT NOT NULL,
          user TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          spec TEXT NOT NULL,                 -- JSON
          spec_hash TEXT NOT NULL,
          image_ref TEXT NOT NULL,            -- spec.image, for image garbage collection
          rollback_of INTEGER,
          outcome TEXT NOT NULL,
          activated_at INTEGER,
          template_epoch INTEGER NOT NULL,
          secret_fingerprints TEXT NOT NULL   -- JSON; names and keyed fingerprints only (B2)
        );
        CREATE UNIQUE INDEX ${VERSIONS_INDEX} ON versions (app_id, number);

        -- Append-only: no app id foreign key, because a failed first build (D4) logs events for
        -- an app that was never created.
        CREATE TABLE events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          app_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          level TEXT NOT NULL,
          kind TEXT NOT NULL,
          message TEXT NOT NULL,
          version INTEGER,
          container TEXT,
          detail TEXT
        );
        CREATE INDEX events_by_app ON events (app_id, id);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

        -- M1: one row per app per second; retention trims by (app_id, at) range.
        CREATE TABLE metrics (
          app_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          containers TEXT NOT NULL,           -- JSON
          queued INTEGER NOT NULL,
          in_flight INTEGER NOT NULL,
          done INTEGER NOT NULL,
          failed INTEGER NOT NULL,
          p50 REAL,
          p95 REAL,
          p99 REAL,
          PRIMARY KEY (app_id, at)
        ) WITHOUT ROWID;

        CREATE TABLE images (
          ref TEXT PRIMARY KEY,
          path TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          size_bytes INTEGER NOT NULL
        );

        -- So a restarted daemon can find and kill orphaned container processes.
        CREATE TABLE containers (
          id TEXT PRIMARY KEY,
          app_id TEXT NOT NULL,
          function TEXT NOT NULL,
          version INTEGER NOT NULL,
          pid INTEGER,
          started_at INTEGER NOT NULL,
          exited_at INTEGER
        );
        CREATE INDEX containers_live ON containers (started_at) WHERE exited_at IS NULL;

        CREATE TABLE counters (
          name TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        );
      `);
    },
  },
  {
    name: 'container identity: start time and port',
    up: (db) => {
      // A container is known by its pid and the moment that process started (a pid is reused,
      // a start time with it is not), and found again by the port it listens on (A1 adoption).
      db.exec(`
        ALTER TABLE containers ADD COLUMN start_ticks INTEGER;
        ALTER TABLE containers ADD COLUMN port INTEGER;
      `);
    },
  },
  {
    name: 'assigned ports',
    up: (db) => {
      // A function without a port gets one assigned once and keeps it, so its URL survives a
      // daemon restart (A1).
      db.exec(`
        CREATE TABLE assigned_ports (
          app_name TEXT NOT NULL,
          function TEXT NOT NULL,
          port INTEGER NOT NULL,
          PRIMARY KEY (app_name, function)
        );
      `);
    },
  },
  {
    name: 'event retention',
    up: (db) => {
      // Events stay immutable, but no longer kept forever: retention deletes the oldest (M1).
      db.exec(`
        DROP TRIGGER events_no_delete;
        CREATE INDEX events_by_time ON events (at);
      `);
    },
  },
];

/**
 * Runs the migrations the database has not seen yet, each in its own transaction together with
 * its user_version bump. Returns how many ran. Refuses a database newer than this code.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let applied = 0;
  // Read the version inside an immediate (write-locked) transaction, so two processes opening
  // the same new file cannot both run a migration.
  const step = db.transaction((): boolean => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new Error(
        `the store's schema is version ${current}, newer than this cutover knows (${migrations.length}); upgrade cutover`,
      );
    }
    const migration = migrations[current];
    if (migration === undefined) return false;
    migration.up(db);
    db.pragma(`user_version = ${current + 1}`);
    applied++;
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
  return applied;
}
