// The seam between the UI/CLI and a platform. The local daemon, Kubernetes, Fly.io and Modal each
// implement it; the watch screen and every command speak only this.
import type { CommandReply } from './effects.ts';
import type { Snapshot, VersionSummary } from './snapshot.ts';
import type { AppStatus, Strategy } from './types.ts';

/** Who is asking and how; `strategy` falls back to the app's own. */
export interface CommandOptions {
  user: string;
  strategy?: Strategy;
  /** Secrets the app names that the command may go without (B2; local platform). */
  allowMissingSecrets?: string[];
}

export interface AppListing {
  app: string;
  appId: string;
  status: AppStatus;
  version: number | null;
}

/** Stops a `watch` subscription. */
export type Unsubscribe = () => void;

export interface Provider {
  /** `local`, `kubernetes`, `fly`, `modal`. */
  readonly platform: string;
  /** What this platform can do; the keymap disables the rest with a reason. */
  readonly capabilities: { deploy: boolean; rollover: boolean; rollback: boolean; stop: boolean };
  snapshot(app: string): Promise<Snapshot>;
  /** Calls `onSnapshot` with each new snapshot until unsubscribed; `onError` if the feed breaks. */
  watch(app: string, onSnapshot: (snapshot: Snapshot) => void, onError: (error: Error) => void): Unsubscribe;
  /** Deploys the app in `dir` (the local platform) or what the platform's own config names. */
  deploy(dir: string, options: CommandOptions): Promise<CommandReply>;
  rollover(app: string, options: CommandOptions): Promise<CommandReply>;
  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply>;
  stop(app: string, options: { user: string }): Promise<CommandReply>;
  history(app: string, limit: number): Promise<VersionSummary[]>;
  apps(): Promise<AppListing[]>;
  close(): void;
}
