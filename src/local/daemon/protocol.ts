// The daemon's socket protocol: one JSON object per line. A request names a method; the daemon
// answers with one response of the same id, or, for `watch`, a stream of them until the client
// closes the connection.
import type { CommandReply } from '../../engine/effects.ts';
import type { AppListing } from '../../engine/provider.ts';
import { ProviderError, type ProviderErrorCode } from '../../engine/provider-error.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import type { Strategy } from '../../engine/types.ts';
import type { WatchedSnapshot } from './metric-window.ts';

/**
 * Secret values a command brings, by name (B2): held in the daemon's memory for the app's
 * containers, never written anywhere. The socket is owner-only.
 */
export interface SecretParams {
  secrets?: Record<string, string>;
  /** Names the command may go without (`--allow-missing-secret NAME`). */
  allowMissingSecrets?: string[];
}

export interface Requests {
  deploy: { params: { dir: string; user: string; strategy?: Strategy } & SecretParams; result: CommandReply };
  rollback: {
    params: { app: string; to?: number; user: string; strategy?: Strategy } & SecretParams;
    result: CommandReply;
  };
  rollover: {
    params: { app: string; user: string; strategy?: Strategy } & SecretParams;
    result: CommandReply;
  };
  /** The names of the secrets any version of the app expects: what a CLI sends values for. */
  'secret-names': { params: { app: string }; result: string[] };
  stop: { params: { app: string; user: string }; result: CommandReply };
  pause: { params: { app: string; user: string }; result: CommandReply };
  resume: { params: { app: string; user: string }; result: CommandReply };
  /** `metrics: false`: the snapshot without its metric samples (a caller that draws no chart). */
  snapshot: { params: { app: string; metrics?: boolean }; result: Snapshot };
  history: { params: { app: string; limit: number }; result: VersionSummary[] };
  apps: { params: Record<string, never>; result: AppListing[] };
  /**
   * A stream of snapshots. With `metrics: 'appended'`, each after the first carries only the
   * metric samples added since the last (metric-window.ts); a daemon from before that sends
   * whole snapshots, which the client takes too.
   */
  watch: { params: { app: string; metrics?: 'appended' }; result: WatchedSnapshot };
  'daemon.status': {
    params: Record<string, never>;
    /** `pid` serves (the worker); `supervisor` holds the sockets and restarts it (A1). */
    result: {
      pid: number;
      supervisor: number | null;
      socket: string;
      home: string;
      /** Open client connections, and the bytes the daemon holds waiting for them to read. */
      connections: number;
      bufferedBytes: number;
    };
  };
  /** Drains (requests in flight finish) and exits; the apps keep running unless `apps`. */
  'daemon.stop': { params: { apps?: boolean }; result: { stopping: true } };
}

export type Method = keyof Requests;

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: Requests[M]['params'];
}

/** Why a request failed; the CLI maps these to exit codes (2 = bad input). */
export type ErrorCode =
  | 'bad-request'
  | 'bad-manifest'
  /** The app's directory cannot be snapshotted (a symbolic link that leaves it). */
  | 'bad-app'
  /** A secret the app expects has no value, and the command did not allow that (B2). */
  | 'missing-secret'
  | 'unknown-app'
  | 'port-in-use'
  /** CUTOVER_HOME is someone else's, writable by others, or holds a planted symbolic link. */
  | 'unsafe-home'
  | 'internal';

export type Response =
  | { id: number; result: unknown }
  | { id: number; error: { code: ErrorCode; message: string; detail?: string } };

/** The Provider seam's category of each daemon error: the CLI's exit code follows it. */
const category: Record<ErrorCode, ProviderErrorCode> = {
  'bad-request': 'usage',
  'bad-manifest': 'usage',
  'bad-app': 'usage',
  'missing-secret': 'usage',
  'unknown-app': 'not-found',
  'port-in-use': 'usage',
  // Like bad input: the user fixes the directory's owner or mode (exit 2).
  'unsafe-home': 'usage',
  internal: 'failed',
};

/** An error the daemon answers with, carrying its code across the socket (`reason` in --json). */
export class DaemonError extends ProviderError {
  constructor(
    readonly daemonCode: ErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(category[daemonCode], message, { reason: daemonCode, ...(detail ? { detail } : {}) });
  }
}
