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
  Unsubscribe,
  WatchObserver,
} from '../engine/provider.ts';
import { ProviderError } from '../engine/provider-error.ts';
import type { Snapshot, VersionSummary } from '../engine/snapshot.ts';
import type { Strategy } from '../engine/types.ts';
import { followContainerLogs } from './container-logs.ts';
import type { DaemonClient } from './daemon/client.ts';

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

  constructor(private readonly client: DaemonClient) {}

  snapshot(app: string): Promise<Snapshot> {
    return this.client.request('snapshot', { app });
  }

  watch(app: string, observer: WatchObserver): Unsubscribe {
    // The screen reconnects when the daemon comes back (feed); a caller without it gets an error.
    return this.client.watch(app, observer.snapshot, observer.error, observer.feed);
  }

  deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    if (request.path === undefined || request.image !== undefined) {
      throw new ProviderError(
        'usage',
        'the local platform deploys a directory with a cutover.toml, not an image',
      );
    }
    return this.client.request('deploy', {
      dir: request.path,
      user: options.user,
      strategy: strategyOf(options),
    });
  }

  rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('rollover', { app, user: options.user, strategy: strategyOf(options) });
  }

  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    return this.client.request('rollback', { app, to, user: options.user, strategy: strategyOf(options) });
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
