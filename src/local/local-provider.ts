// The local platform behind the engine's Provider interface, for the watch screen and the CLI.
import type { CommandReply } from '../engine/effects.ts';
import type {
  AppListing,
  Capabilities,
  CommandOptions,
  DeployRequest,
  LogLine,
  LogOptions,
  Provider,
  SnapshotOptions,
  Unsubscribe,
  WatchObserver,
} from '../engine/provider.ts';
import { ProviderError } from '../engine/provider-error.ts';
import type { Snapshot, VersionSummary } from '../engine/snapshot.ts';
import type { Strategy } from '../engine/types.ts';
import { followContainerLogs } from './container-logs.ts';
import type { DaemonClient } from './daemon/client.ts';
import { secretValues } from './secret-values.ts';

export const localCapabilities: Capabilities = {
  unavailable: {},
  strategies: ['rolling', 'recreate'],
  strategyNote: null,
  rollbackTo: 'any',
  rollbackNote: null,
  inputsNotReported: null,
};

export class LocalProvider implements Provider {
  readonly platform = 'local';
  readonly target = '';
  readonly capabilities = localCapabilities;

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

  snapshot(app: string, options: SnapshotOptions = {}): Promise<Snapshot> {
    return this.client.request('snapshot', options.metrics === false ? { app, metrics: false } : { app });
  }

  watch(app: string, observer: WatchObserver): Unsubscribe {
    // The screen reconnects when the daemon comes back (feed); a caller without it gets an error.
    return this.client.watch(app, observer.snapshot, observer.error, observer.feed);
  }

  async deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    if (request.path === undefined || request.image !== undefined) {
      throw new ProviderError(
        'usage',
        'the local platform deploys a directory with a cutover.toml, not an image',
      );
    }
    const dir = request.path;
    const secrets = this.secrets(await this.manifestSecrets(dir), options);
    return this.client.request('deploy', {
      dir,
      user: options.user,
      strategy: strategyOf(options),
      ...secrets,
    });
  }

  async rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    const names = await this.client.request('secret-names', { app }).catch(() => []);
    const { user } = options;
    return this.client.request('rollover', {
      app,
      user,
      strategy: strategyOf(options),
      ...this.secrets(names, options),
    });
  }

  async rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    const names = await this.client.request('secret-names', { app }).catch(() => []);
    const { user } = options;
    return this.client.request('rollback', {
      app,
      to,
      user,
      strategy: strategyOf(options),
      ...this.secrets(names, options),
    });
  }

  stop(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('stop', { app, user: options.user });
  }

  pause(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('pause', { app, user: options.user });
  }

  resume(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('resume', { app, user: options.user });
  }

  history(app: string, limit: number): Promise<VersionSummary[]> {
    return this.client.request('history', { app, limit });
  }

  apps(): Promise<AppListing[]> {
    return this.client.request('apps', {});
  }

  logs(app: string, options: LogOptions): AsyncIterable<LogLine> {
    return followContainerLogs(this.client.paths.logs, () => this.snapshot(app), app, options);
  }

  close(): void {
    this.client.close();
  }
}

/** The CLI checks `--strategy` against `localCapabilities.strategies`; this narrows the type. */
function strategyOf(options: CommandOptions): Strategy | undefined {
  const s = options.strategy;
  if (s === undefined || s === 'rolling' || s === 'recreate') return s;
  throw new ProviderError(
    'usage',
    `the local platform has no ${JSON.stringify(s)} strategy (rolling, recreate)`,
  );
}
