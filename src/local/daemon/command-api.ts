// The daemon's command API: what a socket request asks for (deploy, rollback, rollover, stop,
// and the queries), turned into engine commands whose replies come back as effects.
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandEvent, EngineEvent } from '../../engine/events.ts';
import type { AppListing } from '../../engine/provider.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { snapshotOf, versionSummary } from '../../engine/snapshot-of.ts';
import { appIdFor, type Strategy } from '../../engine/types.ts';
import { desiredVersion, type World } from '../../engine/world.ts';
import { ImageError } from '../image/image.ts';
import { snapshotImage } from '../image/snapshot.ts';
import { loadManifest, ManifestError } from '../manifest.ts';
import { fingerprints } from '../secrets.ts';
import type { Store } from '../store/store.ts';
import { stamp } from './clock.ts';
import { DaemonError } from './protocol.ts';
import type { Proxies } from './proxies.ts';
import type { SecretVault } from './secret-vault.ts';

type Unstamped<E> = E extends unknown ? Omit<E, 'at' | 'requestId'> : never;

/** Secret values a command brings (B2), and the names it may go without. */
export interface SecretValues {
  values?: Record<string, string>;
  allowMissing?: string[];
}

/** Only the named ones: a client cannot plant values under other names. */
function pick(values: Record<string, string> | undefined, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = values?.[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/** What a deploy's caller gets: the engine's reply, plus a failed build's output (D4). */
export type DeployReply = CommandReply & { output?: string };

export interface CommandApiOptions {
  world: World;
  store: Store;
  proxies: Proxies;
  imagesDir: string;
  /** The key of secret fingerprints (B2). */
  key: Buffer;
  /** Where secret values are held (B2): what the CLI sent, else the daemon's environment. */
  vault: SecretVault;
  dispatch(event: EngineEvent): void;
  /** Keeps the image collector off the image store; returns the release. */
  holdImages(): () => void;
  /** A failed build's output for the deploy that asked for it. */
  buildOutput(requestId: string): string | undefined;
  /** A container's last readiness answer, for the screen (H1). */
  probe(containerId: string): string | undefined;
}

export class CommandApi {
  private readonly pending = new Map<string, (reply: CommandReply) => void>();
  private requestSeq = 0;

  constructor(private readonly o: CommandApiOptions) {}

  // ── commands ──────────────────────────────────────────────────────────────────────────────

  /** Reads the manifest, snapshots the image and asks the engine to deploy it (D4). */
  async deploy(
    dir: string,
    user: string,
    strategy?: Strategy,
    secrets: SecretValues = {},
  ): Promise<DeployReply> {
    // Its snapshot may be an image nothing records yet: no collection until the engine has it.
    const release = this.o.holdImages();
    try {
      return await this.snapshotAndDeploy(dir, user, strategy, secrets);
    } finally {
      release();
    }
  }

  private async snapshotAndDeploy(
    dir: string,
    user: string,
    strategy: Strategy | undefined,
    secrets: SecretValues,
  ): Promise<DeployReply> {
    let manifest: ReturnType<typeof loadManifest>;
    try {
      manifest = loadManifest(dir);
    } catch (error) {
      if (error instanceof ManifestError) throw new DaemonError('bad-manifest', error.message);
      throw error;
    }
    this.takeSecrets(manifest.app, manifest.spec.secrets, secrets, 'deploy');
    // A port another app holds refuses the deploy now; the proxies open when the version rolls out.
    await this.o.proxies.probe(manifest.app, manifest.spec.functions);
    const image = await snapshotImage({
      dir: manifest.dir,
      imagesDir: this.o.imagesDir,
      exclude: manifest.exclude,
      includeNodeModules: manifest.includeNodeModules,
      build: manifest.spec.build,
    }).catch((error: unknown) => {
      // Bad input (exit 2), not the daemon's failure: say what in the app's directory is wrong.
      throw error instanceof ImageError ? new DaemonError('bad-app', error.message) : error;
    });
    this.o.store.saveImage({
      ref: image.ref,
      path: image.path,
      createdAt: Date.now(),
      sizeBytes: image.sizeBytes,
    });
    const spec = { ...manifest.spec, image: image.ref };
    return this.command({
      type: 'deploy',
      app: manifest.app,
      user,
      spec,
      strategy,
      secretFingerprints: this.fingerprints(manifest.app, spec.secrets),
    });
  }

  rollback(
    app: string,
    to: number | undefined,
    user: string,
    strategy?: Strategy,
    secrets: SecretValues = {},
  ): Promise<CommandReply> {
    // An emergency undo is never refused for a missing value: B2's warning names it instead.
    this.o.vault.put(app, pick(secrets.values, this.secretNames(app)));
    return this.command({
      type: 'rollback',
      app,
      to,
      user,
      strategy,
      secretFingerprints: this.fingerprintsOf(app),
    });
  }

  rollover(
    app: string,
    user: string,
    strategy?: Strategy,
    secrets: SecretValues = {},
  ): Promise<CommandReply> {
    // O1 exists for what containers read at start, such as a rotated secret: the values sent now.
    this.takeSecrets(app, this.desired(app)?.spec.secrets ?? [], secrets, 'rollover');
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

  /** The engine's `reply` effect: resolves the command that asked. */
  replied(requestId: string, reply: CommandReply): void {
    const resolve = this.pending.get(requestId);
    this.pending.delete(requestId);
    resolve?.(reply);
  }

  /** Every secret name any version of the app expects (what a CLI sends values for). */
  secretNames(name: string): string[] {
    const app = this.o.world.apps.get(this.o.world.latestByName.get(name) ?? name);
    return [...new Set(app?.versions.flatMap((v) => v.spec.secrets) ?? [])].sort();
  }

  /** Holds the values sent for these names; refuses (exit 2, by name) one nobody has a value for. */
  private takeSecrets(app: string, names: string[], sent: SecretValues, command: string): void {
    const values = pick(sent.values, names);
    const allowed = new Set(sent.allowMissing ?? []);
    const missing = names.filter((n) => values[n] === undefined && this.o.vault.value(app, n) === undefined);
    const refused = missing.filter((n) => !allowed.has(n));
    if (refused.length > 0) {
      const list = refused.join(', ');
      throw new DaemonError(
        'missing-secret',
        `${app} expects secret ${list}, which is not set: set it in the environment of \`cutover ${command}\` ` +
          `(or in ~/.config/cutover/secrets.env), or pass ${refused.map((n) => `--allow-missing-secret ${n}`).join(' ')}`,
      );
    }
    this.o.vault.put(app, values);
  }

  private desired(name: string) {
    const app = this.o.world.apps.get(this.o.world.latestByName.get(name) ?? name);
    return app ? desiredVersion(app) : null;
  }

  private fingerprints(app: string, names: string[]): Record<string, string | null> {
    return fingerprints(this.o.key, names, this.o.vault.values(app, names));
  }

  private fingerprintsOf(name: string): Record<string, string | null> {
    return this.fingerprints(name, this.desired(name)?.spec.secrets ?? []);
  }

  /** Sends a command through the engine and resolves with its reply (C1: one step at a time). */
  private command(event: Unstamped<CommandEvent>): Promise<DeployReply> {
    const requestId = `q${++this.requestSeq}`;
    return new Promise((resolve) => {
      this.pending.set(requestId, (reply) => {
        const output = this.o.buildOutput(requestId);
        resolve(output === undefined ? reply : { ...reply, output });
      });
      this.o.dispatch({ ...event, requestId, ...stamp() } as EngineEvent);
    });
  }

  // ── queries ───────────────────────────────────────────────────────────────────────────────

  /** `shop` means the newest app of that name; `shop#1` an earlier, stopped one. */
  appId(name: string): string {
    const { world } = this.o;
    // The name first: the first app of a name has the id `shop` too, and must not shadow a newer one.
    const latest = world.latestByName.get(name);
    if (latest !== undefined) return latest;
    if (world.apps.has(name)) return name;
    const numbered = /^(.+)#(\d+)$/.exec(name);
    const id = numbered ? appIdFor(numbered[1]!, Number(numbered[2])) : undefined;
    if (id === undefined || !world.apps.has(id)) throw new DaemonError('unknown-app', `no app named ${name}`);
    return id;
  }

  snapshot(name: string): Snapshot {
    return this.snapshotById(this.appId(name));
  }

  /** By id, already resolved: `shop` here is the first app of the name, not the newest. */
  snapshotById(appId: string): Snapshot {
    const app = this.o.world.apps.get(appId)!;
    const urls: Record<string, string> = {};
    for (const fn of desiredVersion(app)?.spec.functions ?? []) {
      const url = this.o.proxies.url(app.record.name, fn);
      if (url) urls[fn.name] = url;
    }
    const snapshot = snapshotOf(this.o.world, appId, {
      platform: 'local',
      urls,
      probe: (id) => this.o.probe(id),
    })!;
    snapshot.at = Date.now();
    // The chart needs minutes, not the whole in-memory window.
    snapshot.metrics = snapshot.metrics.slice(-180);
    return snapshot;
  }

  history(name: string, limit: number): VersionSummary[] {
    return this.o.store.versions(this.appId(name), { limit }).map(versionSummary);
  }

  apps(): AppListing[] {
    return [...this.o.world.apps.values()].map((app) => ({
      app: app.record.name,
      appId: app.record.id,
      status: app.record.status,
      version: app.current,
    }));
  }
}
