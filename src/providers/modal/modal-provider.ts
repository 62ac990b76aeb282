// The Modal platform behind the engine's Provider interface: watching through `modal app list`,
// `modal app history`, `modal container list` and the SDK's stats; commanding through
// `modal deploy` and `modal app rollback|rollover|stop`. Modal rolls; cutover watches and asks.
import type { CommandReply } from '../../engine/effects.ts';
import type {
  AppListing,
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
import { AppCommands } from './app-commands.ts';
import { modalCapabilities } from './capabilities.ts';
import { changeEvents } from './change-events.ts';
import { CommandRecorder } from './command-recorder.ts';
import { ModalDeploy } from './deploy.ts';
import { modalLogs } from './logs.ts';
import { ModalCli } from './modal-cli.ts';
import { checkAppName } from './names.ts';
import { AppReader } from './observe.ts';
import { deployedApps, isLive } from './parse-apps.ts';
import { AppPoller } from './poller.ts';
import { StatsHelper } from './stats-helper.ts';
import { ModalStore } from './store.ts';
import { sampleOf, toSnapshot } from './to-snapshot.ts';

export class ModalProvider implements Provider {
  readonly platform = 'modal';
  readonly capabilities = modalCapabilities;
  readonly target: string;
  private readonly reader: AppReader;
  private readonly store: ModalStore;
  private readonly helper: StatsHelper;
  private readonly pollers = new Map<string, AppPoller>();
  private readonly appCommands: AppCommands;
  private readonly deployer: ModalDeploy;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    stateDir: string,
    private readonly environment: string | undefined,
  ) {
    this.target = environment ?? '';
    const cli = new ModalCli(env, environment);
    this.store = new ModalStore(stateDir, environment);
    this.helper = new StatsHelper(env, environment);
    this.reader = new AppReader(cli, this.helper, this.store);
    const recorder = new CommandRecorder(cli, this.store, (app) => this.pollers.get(app)?.refresh());
    this.appCommands = new AppCommands(this.reader, recorder);
    this.deployer = new ModalDeploy(this.reader, recorder, this.store);
  }

  async snapshot(app: string): Promise<Snapshot> {
    checkAppName(app);
    const fresh = this.pollers.get(app)?.fresh(Date.now());
    if (fresh) return fresh;
    const observation = await this.reader.observe(app);
    const draft = toSnapshot(observation, [], []);
    const events = [
      ...this.store.events(observation.app.name, 100),
      ...changeEvents(null, draft, observation),
    ];
    return { ...draft, events: events.sort((a, b) => a.at - b.at), metrics: [sampleOf(draft)] };
  }

  watch(app: string, observer: WatchObserver): Unsubscribe {
    checkAppName(app);
    let poller = this.pollers.get(app);
    if (poller === undefined) {
      const created = new AppPoller(app, this.reader, this.store, () => {
        if (this.pollers.get(app) === created) this.pollers.delete(app);
      });
      this.pollers.set(app, created);
      poller = created;
    }
    return poller.subscribe(observer);
  }

  deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    return this.deployer.deploy(request, options);
  }

  rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.appCommands.rollover(app, options);
  }

  rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    return this.appCommands.rollback(app, to, options);
  }

  stop(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.appCommands.stop(app, options);
  }

  pause(): Promise<CommandReply> {
    return Promise.reject(new ProviderError('usage', modalCapabilities.unavailable.pause ?? 'no pause'));
  }

  resume(): Promise<CommandReply> {
    return this.pause();
  }

  async history(app: string, limit: number): Promise<VersionSummary[]> {
    const observation = await this.reader.observeVersions(checkAppName(app));
    return toSnapshot(observation, [], []).history.slice(0, limit);
  }

  async apps(): Promise<AppListing[]> {
    return deployedApps(await this.reader.apps()).map((a) => ({
      app: a.name,
      appId: a.appId,
      status: isLive(a) ? 'deployed' : 'stopped',
      // `modal app list` has no version column; `cutover history APP` reads it.
      version: null,
    }));
  }

  logs(app: string, options: LogOptions): AsyncIterable<LogLine> {
    return modalLogs(this.env, this.environment, app, options);
  }

  close(): void {
    for (const poller of [...this.pollers.values()]) poller.close();
    this.pollers.clear();
    this.helper.close();
  }
}
