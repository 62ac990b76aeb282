// One look at a Modal app through public interfaces: `modal app list` (which app the name means,
// its id and state), `modal app history` (versions), `modal container list` (containers) and the
// stats helper (inputs), with cutover's own records beside them.
import { isProviderError, ProviderError } from '../../engine/provider-error.ts';
import type { ModalCli } from './modal-cli.ts';
import { appNamed, isLive, type ModalApp, parseApps } from './parse-apps.ts';
import { type ModalContainer, parseContainers } from './parse-containers.ts';
import { type ModalVersion, parseHistory } from './parse-history.ts';
import type { StatsHelper, StatsResult } from './stats-helper.ts';
import type { ModalStore } from './store.ts';
import type { Observation } from './to-snapshot.ts';

export class AppReader {
  /** `modal container list --app-id` exists since modal 1.4.0; before, the list is filtered here. */
  private appIdFilter = true;

  constructor(
    private readonly cli: ModalCli,
    private readonly helper: StatsHelper,
    private readonly store: ModalStore,
  ) {}

  /** Where the app was looked for, for messages. */
  where(): string {
    return this.cli.environment === undefined
      ? "Modal's default environment"
      : `Modal environment ${this.cli.environment}`;
  }

  async apps(): Promise<ModalApp[]> {
    return parseApps(await this.cli.json(['app', 'list']));
  }

  /** The app a name means, or not-found. */
  async app(name: string): Promise<ModalApp> {
    const app = appNamed(await this.apps(), name);
    if (app === null) {
      throw new ProviderError(
        'not-found',
        `no deployed app named ${name} in ${this.where()} (modal app list)`,
        {
          reason: 'unknown-app',
        },
      );
    }
    return app;
  }

  async history(app: ModalApp): Promise<ModalVersion[]> {
    if (!isLive(app)) {
      // Modal no longer answers for a stopped app; the history cutover last saw stays readable (T1).
      const saved = this.store.history(app.name);
      return saved?.appId === app.appId ? saved.history : [];
    }
    const history = parseHistory(await this.cli.json(['app', 'history', app.appId]));
    this.store.saveHistory(app.name, app.appId, history);
    return history;
  }

  async containers(app: ModalApp): Promise<ModalContainer[]> {
    if (!isLive(app)) return [];
    if (this.appIdFilter) {
      try {
        return parseContainers(await this.cli.json(['container', 'list', '--app-id', app.appId]));
      } catch (error) {
        if (!isProviderError(error) || error.code !== 'usage') throw error;
        this.appIdFilter = false;
      }
    }
    return parseContainers(await this.cli.json(['container', 'list'])).filter((c) => c.appId === app.appId);
  }

  async stats(app: ModalApp): Promise<StatsResult> {
    if (!isLive(app)) return { ok: false, reason: 'the app is stopped' };
    return this.helper.stats(app.name, this.store.functions(app.name)?.names ?? []);
  }

  async observe(name: string): Promise<Observation> {
    const app = await this.app(name);
    const [history, containers, stats] = await Promise.all([
      this.history(app),
      this.containers(app),
      this.stats(app),
    ]);
    return {
      at: Date.now(),
      app,
      history,
      containers,
      stats,
      commands: this.store.commands(app.name),
      deployed: this.store.functions(app.name),
    };
  }
}
