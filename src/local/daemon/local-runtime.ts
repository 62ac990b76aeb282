// The local platform's imperative shell: it owns the engine's world, the store, the container
// processes and the proxies, feeds every event through `step`, and carries out the effects in
// order. Records are written (one transaction per step) before any action is taken.
import { join } from 'node:path';
import type { CommandReply, Effect } from '../../engine/effects.ts';
import type { CommandEvent, EngineEvent } from '../../engine/events.ts';
import type { EngineOptions } from '../../engine/options.ts';
import type { AppListing } from '../../engine/provider.ts';
import { restoreWorld } from '../../engine/restore.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { snapshotOf, versionSummary } from '../../engine/snapshot-of.ts';
import { step } from '../../engine/step.ts';
import { appIdFor, type FunctionSpec, type Strategy } from '../../engine/types.ts';
import { desiredVersion, type World } from '../../engine/world.ts';
import { buildImage, pruneImages, snapshotImage } from '../image.ts';
import { loadManifest, ManifestError } from '../manifest.ts';
import { ensureStateHome, type StatePaths } from '../paths.ts';
import { ContainerProcesses } from '../runtime/container-processes.ts';
import { freePort } from '../runtime/free-port.ts';
import { waitUntilReady, watchReadiness } from '../runtime/readiness.ts';
import { fingerprints, loadOrCreateKey } from '../secrets.ts';
import { Store } from '../store/store.ts';
import { killOrphans } from './orphans.ts';
import { DaemonError } from './protocol.ts';
import { Proxies } from './proxies.ts';

export interface LocalRuntimeOptions {
  paths: StatePaths;
  /** The daemon's environment: PATH for containers, and where secret values come from (B2). */
  env: NodeJS.ProcessEnv;
  engine?: Partial<EngineOptions>;
  /** How often the engine's clock ticks (timeouts, back-offs, M1 samples). */
  tickMs?: number;
  /** Images still needed by an app's last N versions are never pruned. */
  keepImagesPerApp?: number;
}

type Unstamped<E> = E extends unknown ? Omit<E, 'at' | 'requestId'> : never;

/** What a deploy's caller gets: the engine's reply, plus a failed build's output (D4). */
export type DeployReply = CommandReply & { output?: string };

export class LocalRuntime {
  private world!: World;
  private readonly store: Store;
  private readonly processes: ContainerProcesses;
  private readonly key: Buffer;
  private readonly proxies: Proxies;
  private readonly containers = new Map<
    string,
    { appName: string; function: string; port: number | null; terminated: boolean }
  >();
  private readonly readiness = new Map<string, AbortController>();
  /** H1: each container's last readiness answer, for the screen (the newest 200 kept). */
  private readonly probes = new Map<string, string>();
  private readonly builds = new Map<string, { abort: AbortController; requestId: string }>();
  private readonly buildOutputs = new Map<string, string>();
  private readonly pending = new Map<string, (reply: CommandReply) => void>();
  private readonly watchers = new Map<number, { app: string; send: (s: Snapshot) => void }>();
  private requestSeq = 0;
  private watcherSeq = 0;
  private savedSequence = 0;
  private dirty = true;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  private constructor(private readonly options: LocalRuntimeOptions) {
    ensureStateHome(options.paths);
    this.store = Store.open(options.paths.database);
    this.key = loadOrCreateKey(options.paths.secretKey);
    this.processes = new ContainerProcesses({
      logDir: options.paths.logs,
      onExit: (id, code, signal) => this.containerExited(id, code, signal),
    });
    this.proxies = new Proxies({
      arrived: (appName, fn, inputId, method) => {
        const appId = this.world.latestByName.get(appName) ?? '';
        this.dispatch({ type: 'input-arrived', at: Date.now(), inputId, appId, function: fn, method });
      },
      finished: (inputId, containerId) =>
        this.dispatch({ type: 'input-finished', at: Date.now(), inputId, containerId }),
      failed: (inputId, containerId, failure) =>
        this.dispatch({ type: 'input-failed', at: Date.now(), inputId, containerId, ...failure }),
      cancelled: (inputId) => this.dispatch({ type: 'input-cancelled', at: Date.now(), inputId }),
    });
  }

  /** Opens the store, clears what a crashed daemon left behind, and brings every app back. */
  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const runtime = new LocalRuntime(options);
    await runtime.restore();
    const tickMs = options.tickMs ?? 250;
    runtime.timers.push(setInterval(() => runtime.dispatch({ type: 'tick', at: Date.now() }), tickMs));
    // Watchers get at most four snapshots a second, and none when nothing changed.
    runtime.timers.push(setInterval(() => runtime.publish(), 250));
    return runtime;
  }

  private async restore(): Promise<void> {
    killOrphans(this.store, Date.now());
    this.savedSequence = this.store.counter('ids');
    const { world, effects } = restoreWorld(
      this.store.loadAll(),
      Date.now(),
      this.savedSequence,
      this.options.engine,
    );
    this.world = world;
    for (const app of world.apps.values()) {
      const desired = desiredVersion(app);
      if (app.record.status === 'deployed' && desired) {
        await this.proxies.ensure(app.record.name, desired.spec.functions).catch((error: Error) => {
          this.store.appendEvent({
            at: Date.now(),
            appId: app.record.id,
            level: 'error',
            kind: 'proxy',
            message: error.message,
          });
        });
      }
    }
    this.carryOut(effects);
  }

  // ── commands ────────────────────────────────────────────────────────────────────────────

  /** Reads the manifest, snapshots the image and asks the engine to deploy it (D4). */
  async deploy(dir: string, user: string, strategy?: Strategy): Promise<DeployReply> {
    let manifest: ReturnType<typeof loadManifest>;
    try {
      manifest = loadManifest(dir);
    } catch (error) {
      if (error instanceof ManifestError) throw new DaemonError('bad-manifest', error.message);
      throw error;
    }
    // A port another app holds refuses the deploy now; the proxies open when the version rolls out.
    await this.proxies.probe(manifest.app, manifest.spec.functions);
    const image = await snapshotImage({
      dir: manifest.dir,
      imagesDir: this.options.paths.images,
      exclude: manifest.exclude,
      includeNodeModules: manifest.includeNodeModules,
      build: manifest.spec.build,
    });
    this.store.saveImage({
      ref: image.ref,
      path: image.path,
      createdAt: Date.now(),
      sizeBytes: image.sizeBytes,
    });
    const spec = { ...manifest.spec, image: image.ref };
    const reply = await this.command({
      type: 'deploy',
      app: manifest.app,
      user,
      spec,
      strategy,
      secretFingerprints: fingerprints(this.key, spec.secrets, this.options.env),
    });
    return reply;
  }

  rollback(app: string, to: number | undefined, user: string, strategy?: Strategy): Promise<CommandReply> {
    return this.command({
      type: 'rollback',
      app,
      to,
      user,
      strategy,
      secretFingerprints: this.fingerprintsOf(app),
    });
  }

  rollover(app: string, user: string, strategy?: Strategy): Promise<CommandReply> {
    return this.command({
      type: 'rollover',
      app,
      user,
      strategy,
      secretFingerprints: this.fingerprintsOf(app),
    });
  }

  stop(app: string, user: string): Promise<CommandReply> {
    return this.command({ type: 'stop', app, user });
  }

  /** P1: hold the rolling rollout in progress; `resume` carries it on. */
  pause(app: string, user: string): Promise<CommandReply> {
    return this.command({ type: 'pause', app, user });
  }

  resume(app: string, user: string): Promise<CommandReply> {
    return this.command({ type: 'resume', app, user });
  }

  private fingerprintsOf(name: string): Record<string, string | null> {
    const app = this.latest(name);
    const desired = app ? desiredVersion(app) : null;
    return fingerprints(this.key, desired?.spec.secrets ?? [], this.options.env);
  }

  /** Sends a command through the engine and resolves with its reply (C1: one step at a time). */
  private command(event: Unstamped<CommandEvent>): Promise<DeployReply> {
    const requestId = `q${++this.requestSeq}`;
    return new Promise((resolve) => {
      this.pending.set(requestId, (reply) => {
        const output = this.buildOutputs.get(requestId);
        this.buildOutputs.delete(requestId);
        resolve(output === undefined ? reply : { ...reply, output });
      });
      this.dispatch({ ...event, requestId, at: Date.now() } as EngineEvent);
    });
  }

  // ── queries ─────────────────────────────────────────────────────────────────────────────

  private latest(name: string) {
    const id = this.world.latestByName.get(name) ?? name;
    return this.world.apps.get(id) ?? null;
  }

  /** `shop` means the newest app of that name; `shop#1` an earlier, stopped one. */
  private appId(name: string): string {
    // The name first: the first app of a name has the id `shop` too, and must not shadow a newer one.
    const latest = this.world.latestByName.get(name);
    if (latest !== undefined) return latest;
    if (this.world.apps.has(name)) return name;
    const numbered = /^(.+)#(\d+)$/.exec(name);
    const id = numbered ? appIdFor(numbered[1]!, Number(numbered[2])) : undefined;
    if (id === undefined || !this.world.apps.has(id))
      throw new DaemonError('unknown-app', `no app named ${name}`);
    return id;
  }

  snapshot(name: string): Snapshot {
    return this.snapshotById(this.appId(name));
  }

  /** By id, already resolved: `shop` here is the first app of the name, not the newest. */
  private snapshotById(appId: string): Snapshot {
    const app = this.world.apps.get(appId)!;
    const urls: Record<string, string> = {};
    for (const fn of desiredVersion(app)?.spec.functions ?? []) {
      const url = this.proxies.url(app.record.name, fn);
      if (url) urls[fn.name] = url;
    }
    const snapshot = snapshotOf(this.world, appId, {
      platform: 'local',
      urls,
      probe: (id) => this.probes.get(id),
    })!;
    snapshot.at = Date.now();
    // The chart needs minutes, not the whole in-memory window.
    snapshot.metrics = snapshot.metrics.slice(-180);
    return snapshot;
  }

  history(name: string, limit: number): VersionSummary[] {
    return this.store.versions(this.appId(name), { limit }).map(versionSummary);
  }

  apps(): AppListing[] {
    return [...this.world.apps.values()].map((app) => ({
      app: app.record.name,
      appId: app.record.id,
      status: app.record.status,
      version: app.current,
    }));
  }

  /** Calls `send` with the app's snapshot now and whenever it changes; returns the unsubscribe. */
  watch(name: string, send: (snapshot: Snapshot) => void): () => void {
    const app = this.appId(name);
    const id = ++this.watcherSeq;
    this.watchers.set(id, { app, send });
    send(this.snapshotById(app));
    return () => this.watchers.delete(id);
  }

  private publish(): void {
    if (!this.dirty || this.watchers.size === 0) return;
    this.dirty = false;
    const byApp = new Map<string, Snapshot>();
    for (const { app, send } of this.watchers.values()) {
      let snapshot = byApp.get(app);
      if (!snapshot) {
        snapshot = this.snapshotById(app);
        byApp.set(app, snapshot);
      }
      send(snapshot);
    }
  }

  // ── the engine loop ─────────────────────────────────────────────────────────────────────

  dispatch(event: EngineEvent): void {
    if (this.closed) return;
    const { effects } = step(this.world, event);
    if (this.world.sequence > this.savedSequence) {
      this.savedSequence = this.world.sequence;
      this.store.raiseCounter('ids', this.savedSequence);
    }
    this.carryOut(effects);
  }

  private carryOut(effects: Effect[]): void {
    if (effects.length === 0) return;
    this.dirty = true;
    // Write-ahead: every record of this step is committed before any action is taken.
    const records = effects.filter((e) => e.type.startsWith('record-'));
    if (records.length > 0)
      this.store.transaction(() => {
        for (const e of records) this.record(e);
      });
    for (const effect of effects) this.act(effect);
    // A version's outcome changed (a rollout started, finished or failed): tell watchers now,
    // not at the next publish tick, so `deploy` and `wait` return as soon as it is true.
    if (records.some((e) => e.type === 'record-version')) this.publish();
  }

  /** Opens the proxies a version's functions need (a new port, a rollback's old one). */
  private openProxies(appId: string, functions: FunctionSpec[]): void {
    const app = this.world.apps.get(appId);
    if (!app) return;
    this.proxies.ensure(app.record.name, functions).catch((error: Error) => {
      this.store.appendEvent({
        at: Date.now(),
        appId,
        level: 'error',
        kind: 'proxy',
        message: error.message,
      });
    });
  }

  private record(effect: Effect): void {
    switch (effect.type) {
      case 'record-app':
        this.store.saveApp(effect.app);
        break;
      case 'record-version':
        this.store.saveVersion(effect.appId, effect.version);
        if (effect.version.outcome === 'active') queueMicrotask(() => this.pruneImages());
        break;
      case 'record-event':
        this.store.appendEvent(effect.event);
        break;
      case 'record-metrics':
        this.store.saveMetrics(effect.sample);
        break;
    }
  }

  private act(effect: Effect): void {
    switch (effect.type) {
      case 'record-version':
        if (effect.version.outcome === 'rolling')
          this.openProxies(effect.appId, effect.version.spec.functions);
        break;
      case 'record-app':
        // T1: a stopped app frees its ports (another app may deploy on them now).
        if (effect.app.status === 'stopped') this.proxies.release(effect.app.name);
        break;
      case 'build-image':
        this.build(effect.buildId, effect.requestId, effect.spec.image, effect.spec.build, effect.spec.env);
        break;
      case 'cancel-build':
        this.builds.get(effect.buildId)?.abort.abort();
        this.builds.delete(effect.buildId);
        break;
      case 'start-container':
        void this.startContainer(effect);
        break;
      case 'terminate':
        this.terminate(effect.containerId, effect.graceMs);
        break;
      case 'route': {
        const port = this.containers.get(effect.containerId)?.port;
        if (port) this.proxies.route(effect.inputId, effect.containerId, port);
        break;
      }
      case 'answer-error':
        this.proxies.answerError(effect.inputId, effect.error, effect.message);
        break;
      case 'reply': {
        const resolve = this.pending.get(effect.requestId);
        this.pending.delete(effect.requestId);
        resolve?.(effect.reply);
        break;
      }
      default:
        break; // records are written above; stop-inputs needs nothing here (the engine routes)
    }
  }

  // ── builds and containers ───────────────────────────────────────────────────────────────

  private build(
    buildId: string,
    requestId: string,
    ref: string,
    command: string | null,
    env: Record<string, string>,
  ): void {
    const abort = new AbortController();
    this.builds.set(buildId, { abort, requestId });
    const image = { ref, path: join(this.options.paths.images, ref.slice(7)), sizeBytes: 0 };
    buildImage({ image, command, env: { ...this.baseEnv(), ...env }, signal: abort.signal })
      .then((result) => {
        if (!this.builds.has(buildId)) return; // cancelled: a newer command superseded it
        this.builds.delete(buildId);
        if (result.ok) {
          this.dispatch({ type: 'build-finished', at: Date.now(), buildId });
        } else {
          this.buildOutputs.set(requestId, result.output);
          this.dispatch({ type: 'build-failed', at: Date.now(), buildId, output: result.output });
        }
      })
      .catch((error: Error) => {
        if (!this.builds.has(buildId)) return; // cancelled
        this.builds.delete(buildId);
        this.buildOutputs.set(requestId, error.message);
        this.dispatch({ type: 'build-failed', at: Date.now(), buildId, output: error.message });
      });
  }

  /** PATH and the like, so `node` and `sh` are found; nothing else of the daemon's leaks in. */
  private baseEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR']) {
      const value = this.options.env[name];
      if (value !== undefined) env[name] = value;
    }
    return env;
  }

  private async startContainer(effect: Extract<Effect, { type: 'start-container' }>): Promise<void> {
    const { container, function: fn } = effect;
    const appName = this.world.apps.get(container.appId)?.record.name ?? container.appId;
    const entry = { appName, function: fn.name, port: null as number | null, terminated: false };
    this.containers.set(container.id, entry);
    this.store.saveContainer({
      id: container.id,
      appId: container.appId,
      function: fn.name,
      version: container.version,
      pid: null,
      startedAt: container.startedAt,
    });
    const port = await freePort();
    if (entry.terminated || this.closed) return;
    entry.port = port;
    const secrets: Record<string, string> = {};
    for (const name of effect.secrets) {
      const value = this.options.env[name];
      if (value !== undefined) secrets[name] = value;
    }
    const env = {
      ...this.baseEnv(),
      ...effect.env,
      ...secrets,
      PORT: String(port),
      CUTOVER_APP: appName,
      CUTOVER_FUNCTION: fn.name,
      CUTOVER_VERSION: String(container.version),
      CUTOVER_CONTAINER: container.id,
    };
    const { pid } = this.processes.start({
      containerId: container.id,
      command: fn.command,
      cwd: join(this.options.paths.images, effect.image.slice(7)),
      env,
    });
    this.store.saveContainer({
      id: container.id,
      appId: container.appId,
      function: fn.name,
      version: container.version,
      pid: pid || null,
      startedAt: container.startedAt,
    });
    const abort = new AbortController();
    this.readiness.set(container.id, abort);
    // Probed often: each probe is a refused connection until it listens, and every wave of a
    // rolling rollout waits on this (the engine, not the probe, owns the start timeout).
    const onAnswer = (answer: string) => {
      if (this.probes.get(container.id) === answer) return;
      this.probes.delete(container.id);
      this.probes.set(container.id, answer);
      this.dirty = true;
      if (this.probes.size > 200) this.probes.delete(this.probes.keys().next().value!);
    };
    waitUntilReady({ port, ready: fn.ready, signal: abort.signal, intervalMs: 20, onAnswer }).then(
      () => {
        this.dispatch({ type: 'container-ready', at: Date.now(), containerId: container.id });
        // H1: probed for as long as it runs; failing readiness takes it out of routing.
        const watch = { port, ready: fn.ready, signal: abort.signal, periodMs: fn.probePeriodMs };
        watchReadiness({
          ...watch,
          timeoutMs: fn.probeTimeoutMs,
          failureThreshold: fn.probeFailures,
          onUnready: (reason) =>
            this.dispatch({ type: 'container-unready', at: Date.now(), containerId: container.id, reason }),
        }).catch(() => undefined); // aborted: the container exited or was terminated
      },
      () => undefined, // aborted: the container exited or was terminated
    );
  }

  private terminate(containerId: string, graceMs: number): void {
    this.readiness.get(containerId)?.abort();
    this.readiness.delete(containerId);
    const entry = this.containers.get(containerId);
    if (entry) {
      entry.terminated = true;
      this.proxies.abortContainer(entry.appName, entry.function, containerId);
    }
    if (this.processes.running().includes(containerId)) {
      this.processes.terminate(containerId, graceMs).catch(() => undefined);
    }
  }

  private containerExited(containerId: string, code: number | null, signal: string | null): void {
    this.readiness.get(containerId)?.abort();
    this.readiness.delete(containerId);
    this.containers.delete(containerId);
    if (this.closed) return;
    this.store.containerExited(containerId, Date.now());
    this.dispatch({ type: 'container-exited', at: Date.now(), containerId, code, signal });
  }

  /** Removes images no recent version needs (never one of an app's last N versions). */
  private async pruneImages(): Promise<void> {
    const keepPerApp = this.options.keepImagesPerApp ?? 20;
    const keep = new Set<string>();
    for (const app of this.world.apps.values()) {
      for (const v of app.versions.slice(-keepPerApp)) keep.add(v.spec.image);
    }
    for (const build of this.world.builds.values()) keep.add(build.spec.image);
    const removed = await pruneImages({ imagesDir: this.options.paths.images, keep });
    for (const ref of removed) this.store.deleteImage(ref);
  }

  daemonStatus(): { pid: number; socket: string; home: string } {
    return { pid: process.pid, socket: this.options.paths.socket, home: this.options.paths.home };
  }

  /** Stops every container and proxy and closes the store (the daemon is going away). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const abort of this.readiness.values()) abort.abort();
    for (const build of this.builds.values()) build.abort.abort();
    await this.processes.stopAll(2_000);
    await this.proxies.closeAll();
    for (const id of this.processes.running()) this.store.containerExited(id, Date.now());
    this.store.close();
  }
}
