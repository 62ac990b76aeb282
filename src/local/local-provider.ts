// The local platform behind the engine's Provider interface, for the watch screen and the CLI.
import type { CommandReply } from '../engine/effects.ts';
import type { AppListing, CommandOptions, Provider, Unsubscribe } from '../engine/provider.ts';
import type { Snapshot, VersionSummary } from '../engine/snapshot.ts';
import type { DaemonClient } from './daemon/client.ts';
import { secretValues } from './secret-values.ts';

export class LocalProvider implements Provider {
  readonly platform = 'local';
  readonly capabilities = { deploy: true, rollover: true, rollback: true, stop: true };

  /** `env`: where the values of the app's secrets come from (B2), sent with each command. */
  constructor(
    private readonly client: DaemonClient,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The values this command has for these secret names, and what it may go without. */
  private secrets(names: string[], options: CommandOptions) {
    return { secrets: secretValues(names, this.env), allowMissingSecrets: options.allowMissingSecrets ?? [] };
  }

  /** The secret names the manifest gives (a broken manifest is the daemon's to report). */
  private async manifestSecrets(dir: string): Promise<string[]> {
    // Loaded here only: the watch screen never needs the manifest's parser.
    const { loadManifest } = await import('./manifest.ts');
    try {
      return loadManifest(dir).spec.secrets;
    } catch {
      return [];
    }
  }

  snapshot(app: string): Promise<Snapshot> {
    return this.client.request('snapshot', { app });
  }

  watch(app: string, onSnapshot: (s: Snapshot) => void, onError: (e: Error) => void): Unsubscribe {
    return this.client.watch(app, onSnapshot, onError);
  }

  async deploy(dir: string, options: CommandOptions): Promise<CommandReply> {
    const { user, strategy } = options;
    const secrets = this.secrets(await this.manifestSecrets(dir), options);
    return this.client.request('deploy', { dir, user, strategy, ...secrets });
  }

  async rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    const names = await this.client.request('secret-names', { app }).catch(() => []);
    const { user, strategy } = options;
    return this.client.request('rollover', { app, user, strategy, ...this.secrets(names, options) });
  }

  async rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    const names = await this.client.request('secret-names', { app }).catch(() => []);
    const { user, strategy } = options;
    return this.client.request('rollback', { app, to, user, strategy, ...this.secrets(names, options) });
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
