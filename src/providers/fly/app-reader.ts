// Reads one Fly app (its machines and releases, in parallel) and turns it into a Snapshot with
// what cutover knows beyond Fly: its labels, and the config of every release the first time a
// machine running it is seen (for releases made elsewhere, the only record there will be).
import type { Snapshot } from '../../engine/snapshot.ts';
import type { AppEvent, MetricSample } from '../../engine/types.ts';
import { observedConfigsOf, sameConfigs } from './config-diff.ts';
import type { FlyApi } from './fly-api.ts';
import { type FlyMachine, type FlyRelease, isAppMachine, releaseVersionOf } from './fly-types.ts';
import { InputsSource } from './inputs-source.ts';
import type { MetricsApi } from './metrics-api.ts';
import { settleDeploy } from './pending-deploy.ts';
import { versionsOf } from './release-history.ts';
import type { ObservedRelease, ReleaseStore } from './release-store.ts';
import { toSnapshot } from './to-snapshot.ts';

const inputsWaitMs = 2000;

/** How many releases a read asks for (flyctl's `fly releases` shows 25). */
export const releasesRead = 50;

export interface AppState {
  machines: FlyMachine[];
  releases: FlyRelease[];
}

export class AppReader {
  private readonly inputs = new Map<string, InputsSource>();
  private readonly orgs = new Map<string, string | null>();
  private readonly observed = new Map<string, ObservedRelease>();

  constructor(
    private readonly api: FlyApi,
    private readonly metrics: MetricsApi,
    private readonly store: ReleaseStore,
    private readonly org: string | null,
  ) {}

  /** The machines and releases of `app`; `not-found` (exit 2) when Fly has no such app. */
  async state(app: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AppState> {
    const [machines, releases] = await Promise.all([
      this.api.listMachines(app, options),
      this.api.releases(app, releasesRead, options),
    ]);
    return { machines, releases };
  }

  /** The organisation whose metrics hold the app: the target's, else the app's own (read once). */
  private async orgOf(app: string): Promise<string | null> {
    if (this.org !== null) return this.org;
    if (!this.orgs.has(app)) {
      try {
        this.orgs.set(app, (await this.api.app(app, { timeoutMs: 5000 })).organization?.slug ?? null);
      } catch {
        return null; // asked again on the next read
      }
    }
    return this.orgs.get(app) ?? null;
  }

  private cachedObserved(app: string, version: number): ObservedRelease | null {
    const key = `${app}/${version}`;
    const cached = this.observed.get(key);
    if (cached) return cached;
    const found = this.store.observed(app, version);
    if (found) this.observed.set(key, found);
    return found;
  }

  /** The configs first observed for a release, or null. */
  configsOf(app: string, version: number): ObservedRelease['configs'] | null {
    return this.cachedObserved(app, version)?.configs ?? null;
  }

  /** Records, once, the config of every release seen on a machine (and the secret digests then). */
  async observe(app: string, state: AppState): Promise<void> {
    const byVersion = new Map<number, FlyMachine[]>();
    for (const m of state.machines.filter(isAppMachine)) {
      const v = releaseVersionOf(m);
      if (v === null || this.cachedObserved(app, v) !== null || this.store.hasObserved(app, v)) continue;
      byVersion.set(v, [...(byVersion.get(v) ?? []), m]);
    }
    if (byVersion.size === 0) return;
    let secrets: Record<string, string> | null = null;
    try {
      const list = await this.api.secretDigests(app, { timeoutMs: 5000 });
      secrets = Object.fromEntries(list.map((s) => [s.name, s.digest]));
    } catch {
      secrets = null;
    }
    for (const [version, machines] of byVersion) {
      const release = state.releases.find((r) => r.version === version);
      this.store.recordObserved(app, version, {
        observedAt: Date.now(),
        image: release?.image_ref ?? null,
        configs: observedConfigsOf(machines),
        secrets,
      });
    }
  }

  /**
   * Builds the Snapshot; `events` and `metrics` come from the app's feed when it has one. A
   * one-off read (`status`) waits for the metrics API; the poller never does.
   */
  async snapshot(
    app: string,
    state: AppState,
    events: AppEvent[],
    metrics: MetricSample[],
    waitForInputs = false,
  ): Promise<Snapshot> {
    await this.observe(app, state);
    settleDeploy(this.store, app, Math.max(0, ...state.releases.map((r) => r.version)));
    const labels = this.store.labels(app);
    const sameConfig = (a: number, b: number) => {
      const x = this.configsOf(app, a);
      const y = this.configsOf(app, b);
      return x && y ? sameConfigs(x, y) : null;
    };
    const history = versionsOf(state.releases, { labels, sameConfig });
    let source = this.inputs.get(app);
    if (!source) {
      source = new InputsSource(this.metrics, app);
      this.inputs.set(app, source);
    }
    const reading = source.refresh(await this.orgOf(app));
    // A one-off read waits a little for the metrics API, never long: a slow one must not hold
    // up `status` or the watch screen's first frame.
    if (waitForInputs) await Promise.race([reading, new Promise((r) => setTimeout(r, inputsWaitMs).unref())]);
    const inputs = source.current();
    return toSnapshot({
      app,
      machines: state.machines,
      releases: state.releases,
      history,
      inputs: inputs.reading,
      inputsNote: inputs.note,
      stopped: this.stoppedNow(app, state.machines),
      events,
      metrics,
      at: Date.now(),
    });
  }

  /** Stopped by cutover and still all stopped; once a machine runs again, no longer. */
  private stoppedNow(app: string, machines: FlyMachine[]): boolean {
    const stop = this.store.stopped(app);
    if (stop === null) return false;
    const runningStates = ['started', 'starting', 'restarting', 'replacing', 'updating'];
    const running = machines.filter(isAppMachine).some((m) => runningStates.includes(m.state ?? ''));
    if (running) this.store.setStopped(app, null);
    return !running;
  }
}
