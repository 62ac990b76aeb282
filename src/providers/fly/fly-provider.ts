// Fly.io behind the engine's Provider: a release is a version, its machines the containers, a
// process group a function. Watching reads the Machines REST API and the releases API (one poll
// loop per app); deploys, rollbacks and rollovers run the real `fly deploy`; stop goes through
// the Machines API under leases, as `fly machine stop` does. The platform rolls; cutover watches,
// commands, and records each release's config so a rollback restores it.
import type { CommandReply } from '../../engine/effects.ts';
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
} from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { AppFeed, defaultPollTiming, type PollTiming } from './app-feed.ts';
import { AppReader } from './app-reader.ts';
import { sameConfigs } from './config-diff.ts';
import type { FlyApi } from './fly-api.ts';
import { findFly } from './fly-cli.ts';
import { FlyCommands } from './fly-commands.ts';
import { FlyDeployer } from './fly-deployer.ts';
import { flyLogs } from './fly-logs.ts';
import { MetricsApi } from './metrics-api.ts';
import { settleDeploy } from './pending-deploy.ts';
import { activeRelease, versionsOf } from './release-history.ts';
import { checkAppName, type ReleaseStore } from './release-store.ts';
import { stopMachines } from './stop-machines.ts';

export const flyCapabilities: Capabilities = {
  unavailable: {
    pause:
      'Fly has no pause: flyctl runs a deploy to its end (interrupting it leaves the release "interrupted" and the machines mixed)',
  },
  strategies: ['rolling', 'immediate', 'canary', 'bluegreen'],
  strategyNote:
    "flyctl's strategies (fly deploy --strategy); recreate is `immediate`, and bluegreen runs both colours side by side",
  rollbackTo: 'any',
  rollbackNote: null,
  inputsNotReported: null,
};

export interface FlyProviderOptions {
  env: NodeJS.ProcessEnv;
  /** The target's organisation, or null (each app's own is read from Fly). */
  org: string | null;
  timing?: PollTiming;
}

export class FlyProvider implements Provider {
  readonly platform = 'fly';
  readonly capabilities = flyCapabilities;
  readonly target: string;
  private readonly feeds = new Map<string, AppFeed>();
  private readonly reader: AppReader;
  private readonly deployer: FlyDeployer;
  private readonly commands: FlyCommands;

  constructor(
    private readonly api: FlyApi,
    private readonly store: ReleaseStore,
    private readonly options: FlyProviderOptions,
  ) {
    this.target = options.org ?? '';
    this.reader = new AppReader(api, new MetricsApi(api.http, api.endpoints), store, options.org);
    this.deployer = new FlyDeployer(api, store, options.env, (app, line) => this.outputLine(app, line));
    this.commands = new FlyCommands(api, store, this.reader, this.deployer, {
      env: options.env,
      note: (app, level, kind, message) => this.feed(app).log.add(level, kind, message),
    });
  }

  private feed(app: string): AppFeed {
    let feed = this.feeds.get(app);
    if (!feed) {
      feed = new AppFeed(
        app,
        async (signal) => this.reader.snapshot(app, await this.reader.state(app, { signal }), [], []),
        this.options.timing ?? defaultPollTiming,
      );
      this.feeds.set(app, feed);
    }
    return feed;
  }

  /** One line of flyctl's output into the app's event log. */
  private outputLine(app: string, line: string): void {
    const text = line.trimEnd();
    if (text.trim() === '') return;
    const level = /\b(error|failed|✖)/i.test(text) ? 'warn' : 'info';
    this.feed(app).log.add(level, 'fly-output', text.slice(0, 300));
  }

  async snapshot(app: string): Promise<Snapshot> {
    checkAppName(app);
    const state = await this.reader.state(app);
    const feed = this.feeds.get(app);
    return this.reader.snapshot(
      app,
      state,
      feed ? [...feed.log.events] : [],
      feed ? [...feed.metrics] : [],
      true,
    );
  }

  watch(app: string, observer: WatchObserver): Unsubscribe {
    checkAppName(app);
    return this.feed(app).subscribe(observer);
  }

  deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    return this.commands.deploy(findFly(this.options.env), request, options);
  }

  rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    checkAppName(app);
    return this.commands.rollover(findFly(this.options.env), app, options);
  }

  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    checkAppName(app);
    return this.commands.rollback(findFly(this.options.env), app, to, options);
  }

  stop(app: string, options: CommandOptions): Promise<CommandReply> {
    checkAppName(app);
    return stopMachines(
      this.api,
      this.store,
      (a, level, kind, message) => this.feed(a).log.add(level, kind, message),
      app,
      options,
    );
  }

  pause(): Promise<CommandReply> {
    return Promise.reject(new ProviderError('usage', flyCapabilities.unavailable.pause ?? 'no pause'));
  }

  resume(): Promise<CommandReply> {
    return this.pause();
  }

  async history(app: string, limit: number): Promise<VersionSummary[]> {
    checkAppName(app);
    const releases = await this.api.releases(app, Math.max(limit, 1));
    settleDeploy(this.store, app, Math.max(0, ...releases.map((r) => r.version)));
    const labels = this.store.labels(app);
    const sameConfig = (a: number, b: number) => {
      const x = this.reader.configsOf(app, a);
      const y = this.reader.configsOf(app, b);
      return x && y ? sameConfigs(x, y) : null;
    };
    return versionsOf(releases, { labels, sameConfig }).slice(0, limit);
  }

  async apps(): Promise<AppListing[]> {
    const org = this.options.org ?? this.options.env.FLY_ORG ?? null;
    if (!org) {
      throw new ProviderError(
        'usage',
        'Fly lists apps per organisation: give --org ORG (or a target with org)',
      );
    }
    const apps = await this.api.apps(org);
    return Promise.all(
      apps.map(async (a) => {
        const releases = await this.api.releases(a.name, 5).catch(() => []);
        return {
          app: a.name,
          appId: a.name,
          status: this.store.stopped(a.name) ? ('stopped' as const) : ('deployed' as const),
          version: activeRelease(releases)?.version ?? null,
        };
      }),
    );
  }

  logs(app: string, options: LogOptions): AsyncIterable<LogLine> {
    checkAppName(app);
    return flyLogs(findFly(this.options.env), app, options, this.options.env, this.store.appDir(app));
  }

  close(): void {
    // Deploys run in their own session and go on; this process may exit without waiting.
    this.deployer.detachAll();
    this.api.close();
  }
}
