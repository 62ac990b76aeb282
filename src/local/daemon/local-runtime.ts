// The local platform's imperative shell, wired from small shells with one owner each (STYLE.md):
// the effect interpreter (engine loop and records), the command API, the watch hub, the builds,
// the container launcher, the image collector and the proxies. This file only connects them.
import type { CommandReply } from '../../engine/effects.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { EngineOptions } from '../../engine/options.ts';
import type { AppListing } from '../../engine/provider.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import type { Strategy } from '../../engine/types.ts';
import { desiredVersion } from '../../engine/world.ts';
import { ensureStateHome, type StatePaths } from '../paths.ts';
import { loadOrCreateKey } from '../secrets.ts';
import { Store } from '../store/store.ts';
import { Builds } from './builds.ts';
import { engineNow, stamp } from './clock.ts';
import { CommandApi, type DeployReply, type SecretValues } from './command-api.ts';
import { ContainerLauncher } from './container-launcher.ts';
import { lockHolder } from './daemon-lock.ts';
import { EffectInterpreter } from './effect-interpreter.ts';
import { ImageCollector } from './image-collector.ts';
import { type Listeners, Proxies } from './proxies.ts';
import { restoreFromRecords } from './restorer.ts';
import { type HeldSecrets, SecretVault } from './secret-vault.ts';
import { WatchHub } from './watch-hub.ts';

export type { DeployReply } from './command-api.ts';

export interface LocalRuntimeOptions {
  paths: StatePaths;
  /** The daemon's environment: PATH for containers, and where secret values come from (B2). */
  env: NodeJS.ProcessEnv;
  engine?: Partial<EngineOptions>;
  /** How often the engine's clock ticks (timeouts, back-offs, M1 samples). */
  tickMs?: number;
  /**
   * An unexpected failure (a store write, the disk): the daemon's memory may now be ahead of its
   * records, so it must not go on. Default: log it and exit, so a restart restores from the records.
   */
  fatal?: (error: unknown) => void;
  /** Where listening sockets come from: the supervisor's (A1), or bound here when absent. */
  listeners?: Listeners;
  /** Who keeps a copy of the secret values in memory through a restart (the supervisor). */
  secretKeeper?: {
    heldSecrets(): HeldSecrets;
    keepSecrets(app: string, values: Record<string, string>): void;
  };
}

const RETENTION_EVERY_MS = 60_000;
const IMAGE_COLLECTION_EVERY_MS = 3_600_000;

export class LocalRuntime {
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;

  private constructor(
    private readonly options: LocalRuntimeOptions,
    private readonly store: Store,
    private readonly proxies: Proxies,
    private readonly interpreter: EffectInterpreter,
    private readonly api: CommandApi,
    private readonly hub: WatchHub,
    private readonly builds: Builds,
    private readonly launcher: ContainerLauncher,
    private readonly collector: ImageCollector,
  ) {}

  /**
   * Opens the store, adopts the containers an earlier daemon left running (A1), stops what it
   * cannot adopt, and brings every app back to its recorded state.
   */
  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const { paths } = options;
    ensureStateHome(paths);
    const store = Store.open(paths.database);
    const key = loadOrCreateKey(paths.secretKey);
    // Late-bound: the shells report to the engine loop, which needs them to exist first.
    let interpreter: EffectInterpreter | null = null;
    const dispatch = (event: EngineEvent) => interpreter?.dispatch(event);

    const proxies = new Proxies(
      {
        arrived: (appName, fn, inputId, method) => {
          const appId = interpreter?.world.latestByName.get(appName) ?? '';
          // Every request makes these: built flat, no stamp object spread into each.
          dispatch({
            type: 'input-arrived',
            at: engineNow(),
            wall: Date.now(),
            inputId,
            appId,
            function: fn,
            method,
          });
        },
        finished: (inputId, containerId) =>
          dispatch({ type: 'input-finished', at: engineNow(), wall: Date.now(), inputId, containerId }),
        failed: (inputId, containerId, failure) =>
          dispatch({ type: 'input-failed', ...stamp(), inputId, containerId, ...failure }),
        cancelled: (inputId) => dispatch({ type: 'input-cancelled', ...stamp(), inputId }),
      },
      options.listeners ?? null,
      store,
    );
    const fatal = options.fatal ?? exitOnFatal;

    // B2: secret values the CLI sent, as the supervisor kept them through a restart (A1).
    const keeper = options.secretKeeper;
    const vault = new SecretVault(options.env, keeper?.heldSecrets(), (app, values) =>
      keeper?.keepSecrets(app, values),
    );
    const restored = await restoreFromRecords(store, paths, options.engine);
    const { world } = restored;
    const appName = (appId: string) => world.apps.get(appId)?.record.name ?? appId;
    const proxyFailed = (appId: string) => (error: Error) => {
      try {
        store.appendEvent({ at: Date.now(), appId, level: 'error', kind: 'proxy', message: error.message });
      } catch (writeError) {
        fatal(writeError);
      }
    };

    const launcher = new ContainerLauncher({
      imagesDir: paths.images,
      logDir: paths.logs,
      pidDir: paths.run,
      scratchDir: paths.scratch,
      env: options.env,
      secrets: (appName, names) => vault.values(appName, names),
      store,
      appName,
      abandon: (name, fn, containerId) => proxies.abortContainer(name, fn, containerId),
      report: dispatch,
      answered: (containerId) => {
        const appId = world.containerApp.get(containerId);
        hub.changed(appId === undefined ? null : [appId]);
      },
      fatal,
    });
    const collector = new ImageCollector({
      imagesDir: paths.images,
      store,
      building: () => [...world.builds.values()].map((build) => build.spec.image),
      fatal,
    });
    const builds = new Builds({
      imagesDir: paths.images,
      env: options.env,
      hold: () => collector.hold(),
      report: dispatch,
    });
    const api = new CommandApi({
      world,
      store,
      proxies,
      imagesDir: paths.images,
      key,
      vault,
      dispatch,
      holdImages: () => collector.hold(),
      buildOutput: (requestId) => builds.takeOutput(requestId),
      probe: (containerId) => launcher.probeAnswer(containerId),
    });
    const hub = new WatchHub((appId) => api.snapshotById(appId));
    interpreter = new EffectInterpreter(
      store,
      world,
      {
        openProxies: (appId, functions) => {
          const app = world.apps.get(appId);
          if (app) proxies.ensure(app.record.name, functions).catch(proxyFailed(appId));
        },
        // T1: a stopped app frees its ports (another app may deploy on them now).
        appStopped: (name) => proxies.release(name),
        build: (effect) => builds.start(effect),
        cancelBuild: (buildId) => builds.cancel(buildId),
        startContainer: (effect) => launcher.start(effect),
        terminate: (containerId, graceMs) => launcher.terminate(containerId, graceMs),
        route: (inputId, containerId) => {
          const port = launcher.portOf(containerId);
          if (port) proxies.route(inputId, containerId, port);
        },
        answerError: (inputId, error, message) => proxies.answerError(inputId, error, message),
        reply: (requestId, reply) => api.replied(requestId, reply),
        versionActivated: () => collector.schedule(),
        changed: (appIds, now) => {
          hub.changed(appIds);
          if (now) hub.publish();
        },
      },
      restored.savedSequence,
      fatal,
    );

    for (const adoption of restored.adoptions) launcher.adopt(adoption);
    // The ports a supervisor still holds are served again first, then each deployed app's.
    const deployedNames = new Set(
      [...world.apps.values()].filter((a) => a.record.status === 'deployed').map((a) => a.record.name),
    );
    await proxies.adoptHeld((name) => deployedNames.has(name));
    for (const app of world.apps.values()) {
      const desired = desiredVersion(app);
      if (app.record.status === 'deployed' && desired) {
        await proxies.ensure(app.record.name, desired.spec.functions).catch(proxyFailed(app.record.id));
      }
    }
    interpreter.carryOut(restored.effects);

    const runtime = new LocalRuntime(
      options,
      store,
      proxies,
      interpreter,
      api,
      hub,
      builds,
      launcher,
      collector,
    );
    const tickMs = options.tickMs ?? 250;
    runtime.timers.push(setInterval(() => dispatch({ type: 'tick', ...stamp() }), tickMs));
    // M1: nothing the store keeps grows without bound.
    const retain = () => {
      try {
        store.applyRetention(Date.now());
      } catch (error) {
        fatal(error);
      }
    };
    retain();
    runtime.timers.push(setInterval(retain, RETENTION_EVERY_MS));
    // Images age out too (a stopped app's, after its retention), not only when a version activates.
    runtime.timers.push(setInterval(() => collector.schedule(), IMAGE_COLLECTION_EVERY_MS));
    // Watchers get at most four snapshots a second, and none when nothing changed.
    runtime.timers.push(setInterval(() => hub.publish(), 250));
    return runtime;
  }

  // ── the socket's API ──────────────────────────────────────────────────────────────────────

  deploy(dir: string, user: string, strategy?: Strategy, secrets?: SecretValues): Promise<DeployReply> {
    return this.api.deploy(dir, user, strategy, secrets);
  }

  rollback(
    app: string,
    to: number | undefined,
    user: string,
    strategy?: Strategy,
    secrets?: SecretValues,
  ): Promise<CommandReply> {
    return this.api.rollback(app, to, user, strategy, secrets);
  }

  rollover(app: string, user: string, strategy?: Strategy, secrets?: SecretValues): Promise<CommandReply> {
    return this.api.rollover(app, user, strategy, secrets);
  }

  secretNames(app: string): string[] {
    return this.api.secretNames(app);
  }

  stop(app: string, user: string): Promise<CommandReply> {
    return this.api.stop(app, user);
  }

  /** P1: hold the rolling rollout in progress; `resume` carries it on. */
  pause(app: string, user: string): Promise<CommandReply> {
    return this.api.pause(app, user);
  }

  resume(app: string, user: string): Promise<CommandReply> {
    return this.api.resume(app, user);
  }

  snapshot(name: string): Snapshot {
    return this.api.snapshot(name);
  }

  history(name: string, limit: number): VersionSummary[] {
    return this.api.history(name, limit);
  }

  apps(): AppListing[] {
    return this.api.apps();
  }

  /** Calls `send` with the app's snapshot now and whenever it changes; returns the unsubscribe. */
  watch(name: string, send: (snapshot: Snapshot) => void): () => void {
    return this.hub.watch(this.api.appId(name), send);
  }

  dispatch(event: EngineEvent): void {
    this.interpreter.dispatch(event);
  }

  daemonStatus(): { pid: number; supervisor: number | null; socket: string; home: string } {
    const { paths } = this.options;
    return { pid: process.pid, supervisor: lockHolder(paths), socket: paths.socket, home: paths.home };
  }

  /**
   * Takes no new connections and waits (at most `timeoutMs`) until the inputs in flight have
   * been answered: the daemon is about to stop.
   */
  async drain(timeoutMs: number): Promise<void> {
    this.proxies.stopAccepting();
    const deadline = Date.now() + timeoutMs;
    while (this.interpreter.world.inputs.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Stops the daemon's part and leaves the apps running: containers keep serving (behind no
   * proxy until the next daemon starts and adopts them), their records stay live.
   */
  async release(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interpreter.close();
    for (const timer of this.timers) clearInterval(timer);
    this.builds.abortAll();
    await this.collector.idle();
    this.launcher.release();
    await this.proxies.closeAll();
    this.store.close();
  }

  /** Stops every container and proxy and closes the store (the daemon is going away). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interpreter.close();
    for (const timer of this.timers) clearInterval(timer);
    this.builds.abortAll();
    await this.collector.idle();
    await this.launcher.stopAll(2_000);
    await this.proxies.closeAll();
    for (const id of this.launcher.running()) this.store.containerExited(id, Date.now());
    this.store.close();
  }
}

function exitOnFatal(error: unknown): void {
  process.stderr.write(
    `cutover daemon: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` +
      'cutover daemon: exiting; the next start restores every app from the records\n',
  );
  process.exit(70);
}
