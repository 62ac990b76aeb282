// The local platform behind the engine's Provider interface, for the watch screen and the CLI.
import type { CommandReply } from '../engine/effects.ts';
import type { AppListing, CommandOptions, Provider, Unsubscribe } from '../engine/provider.ts';
import type { Snapshot, VersionSummary } from '../engine/snapshot.ts';
import type { DaemonClient } from './daemon/client.ts';

export class LocalProvider implements Provider {
  readonly platform = 'local';
  readonly capabilities = { deploy: true, rollover: true, rollback: true, stop: true };

  constructor(private readonly client: DaemonClient) {}

  snapshot(app: string): Promise<Snapshot> {
    return this.client.request('snapshot', { app });
  }

  watch(app: string, onSnapshot: (s: Snapshot) => void, onError: (e: Error) => void): Unsubscribe {
    return this.client.watch(app, onSnapshot, onError);
  }

  deploy(dir: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('deploy', { dir, user: options.user, strategy: options.strategy });
  }

  rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('rollover', { app, user: options.user, strategy: options.strategy });
  }

  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('rollback', { app, to, user: options.user, strategy: options.strategy });
  }

  stop(app: string, options: { user: string }): Promise<CommandReply> {
    return this.client.request('stop', { app, user: options.user });
  }

  history(app: string, limit: number): Promise<VersionSummary[]> {
    return this.client.request('history', { app, limit });
  }

  apps(): Promise<AppListing[]> {
    return this.client.request('apps', {});
  }

  close(): void {
    this.client.close();
  }
}
