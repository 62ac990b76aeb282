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

/** How long a poll trusts the app list it read last: one `modal` run fewer on most polls. */
const appListTtlMs = 10_000;

export class AppReader {
  /** `modal container list --app-id` exists since modal 1.4.0; before, the list is filtered here. */
  private appIdFilter = true;
  private readonly known = new Map<string, { app: ModalApp; at: number }>();

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
    if (app !== null) this.known.set(name, { app, at: Date.now() });
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

  /** Versions and containers without the stats helper (no Python started), for `history`. */
  async observeVersions(name: string): Promise<Observation> {
    const app = await this.app(name);
    const [history, containers] = await Promise.all([this.history(app), this.containers(app)]);
    return {
      at: Date.now(),
      app,
      history,
      containers,
      stats: { ok: false, reason: 'not read for history' },
      commands: this.store.commands(app.name),
      deployed: this.store.functions(app.name),
    };
  }

  /** One look at the app; the app list is read again every few polls, or when a read fails. */
  async observe(name: string): Promise<Observation> {
    const cached = this.known.get(name);
    const fresh = cached !== undefined && isLive(cached.app) && Date.now() - cached.at < appListTtlMs;
    let app = fresh ? cached.app : await this.app(name);
    let parts: [ModalVersion[], ModalContainer[], StatsResult];
    try {
      parts = await Promise.all([this.history(app), this.containers(app), this.stats(app)]);
    } catch (error) {
      if (!fresh) throw error;
      // Stopped or replaced since the list was read: look again before reporting anything.
      this.known.delete(name);
      app = await this.app(name);
      parts = await Promise.all([this.history(app), this.containers(app), this.stats(app)]);
    }
    const [history, containers, stats] = parts;
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
