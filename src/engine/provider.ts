// The seam between the UI/CLI and a platform. The local daemon, Kubernetes, Fly.io and Modal each
// implement it; the watch screen and every command speak only this.
import type { CommandReply } from './effects.ts';
import type { Snapshot, VersionSummary } from './snapshot.ts';
import type { AppStatus } from './types.ts';

/**
 * Who is asking and how. `strategy` is one of the provider's `capabilities.strategies` (the CLI
 * checks it before asking); absent, the app's own strategy applies.
 */
export interface CommandOptions {
  user: string;
  strategy?: string;
  /** Secrets the app names that the command may go without (B2; local platform). */
  allowMissingSecrets?: string[];
}

/**
 * What a deploy starts from. Each platform reads the fields it understands and refuses the
 * rest with a `usage` ProviderError: the local platform and Fly deploy a directory, Modal a
 * Python file, Kubernetes an image into an existing Deployment.
 */
export interface DeployRequest {
  /** A directory (local, Fly) or a file (Modal), already resolved to an absolute path. */
  path?: string;
  /** The app to deploy into, where the platform does not read it from `path` (Kubernetes). */
  app?: string;
  /** An image reference (Kubernetes: the container's new image; Fly: `fly deploy -i`). */
  image?: string;
  /** Which container of the pod template gets `image`, when it has several (Kubernetes). */
  container?: string;
  /** A label for the version (Modal's `--tag`). */
  tag?: string;
}

export interface AppListing {
  app: string;
  appId: string;
  status: AppStatus;
  version: number | null;
}

/** The actions a platform may or may not offer. */
export type Action = 'deploy' | 'rollover' | 'rollback' | 'stop' | 'pause' | 'logs';

/** What a platform can do, as data: the keymap, `--help` and the CLI's refusals read it. */
export interface Capabilities {
  /** Why an action is not offered on this platform; an action absent here is offered. */
  unavailable: Partial<Record<Action, string>>;
  /** The strategies a command may choose (the first is the default); may be empty. */
  strategies: string[];
  /** Why the choice is limited, said when a command asks for another one; null when it is not. */
  strategyNote: string | null;
  /** Whether a rollback reaches any earlier version, or only those the platform still keeps. */
  rollbackTo: 'any' | 'retained';
  /** Why rollback is limited to retained versions (`revisionHistoryLimit`), or null. */
  rollbackNote: string | null;
  /** Null when queued/in-flight inputs are reported; else why not ("Kubernetes has no request queue"). */
  inputsNotReported: string | null;
}

/** The reason an action is not offered, or null when it is. */
export function unavailableReason(capabilities: Capabilities, action: Action): string | null {
  return capabilities.unavailable[action] ?? null;
}

/** The state of a watch's connection to its platform, for the screen's "reconnecting…" line. */
export type FeedState =
  | { live: true }
  | {
      live: false;
      /** `reconnecting to prod-eu… (attempt 3)` */
      message: string;
      /** When the last good data arrived (the screen shows how stale it is). */
      since: number;
    };

/** The callbacks of one `watch` subscription. */
export interface WatchObserver {
  snapshot: (snapshot: Snapshot) => void;
  /** The feed broke for good (an unknown app, a refused credential); nothing more will come. */
  error: (error: Error) => void;
  /** The feed lost its platform and is reconnecting (live: false), or came back (live: true). */
  feed?: (state: FeedState) => void;
}

/** Stops a `watch` subscription. */
export type Unsubscribe = () => void;

/** One line of a container's output. */
export interface LogLine {
  container: string;
  text: string;
}

export interface LogOptions {
  /** One container's id; all the app's containers when absent. */
  container?: string;
  follow: boolean;
  /** The last N lines of each container before following; all when absent. */
  tail?: number;
  /** Ends a follow. */
  signal?: AbortSignal;
}

/** What a caller of `Provider.snapshot` needs of it. */
export interface SnapshotOptions {
  /**
   * false: the caller draws no chart (the overview), so a platform may send `metrics` empty
   * rather than its whole recent window.
   */
  metrics?: boolean;
}

export interface Provider {
  /** `local`, `kubernetes`, `fly`, `modal`. */
  readonly platform: string;
  /** Where it points, for the screen's header and errors (`prod-eu/shop-ns`); '' for local. */
  readonly target: string;
  readonly capabilities: Capabilities;
  snapshot(app: string, options?: SnapshotOptions): Promise<Snapshot>;
  /** Calls the observer with each new snapshot until unsubscribed. */
  watch(app: string, observer: WatchObserver): Unsubscribe;
  deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply>;
  rollover(app: string, options: CommandOptions): Promise<CommandReply>;
  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply>;
  stop(app: string, options: CommandOptions): Promise<CommandReply>;
  /** P1. Platforms without it list `pause` in `capabilities.unavailable` and throw `usage`. */
  pause(app: string, options: CommandOptions): Promise<CommandReply>;
  resume(app: string, options: CommandOptions): Promise<CommandReply>;
  history(app: string, limit: number): Promise<VersionSummary[]>;
  apps(): Promise<AppListing[]>;
  /** The containers' output, oldest first; ends unless `follow`, then ends on `signal`. */
  logs(app: string, options: LogOptions): AsyncIterable<LogLine>;
  close(): void;
}
