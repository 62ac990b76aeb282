// The commands that run `fly deploy`: deploy (in the app's directory), rollback to vN (`fly deploy
// -c <vN's recorded fly.toml> -i <vN's image>`), rollover (`fly deploy -i <current image>`: a new
// release with the same image and config, every machine replaced under the chosen strategy, O1).
// Each checks what it can before anything runs, so bad input changes nothing.
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions, DeployRequest } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { AppEvent } from '../../engine/types.ts';
import type { AppReader } from './app-reader.ts';
import type { FlyApi } from './fly-api.ts';
import { lastLine } from './fly-cli.ts';
import type { DeployResult, FlyDeployer } from './fly-deployer.ts';
import { readFlyToml } from './fly-toml-file.ts';
import { type FlyMachine, isAppMachine, releaseVersionOf } from './fly-types.ts';
import { activeRelease, isComplete } from './release-history.ts';
import type { ReleaseStore } from './release-store.ts';
import { planRollback } from './rollback-plan.ts';

type Ok = Extract<CommandReply, { ok: true }>;

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** Adds a line to the app's event log. */
  note: (app: string, level: AppEvent['level'], kind: string, message: string) => void;
}

const strategyArgs = (options: CommandOptions) => (options.strategy ? ['--strategy', options.strategy] : []);

export class FlyCommands {
  constructor(
    private readonly api: FlyApi,
    private readonly store: ReleaseStore,
    private readonly reader: AppReader,
    private readonly deployer: FlyDeployer,
    private readonly context: CommandContext,
  ) {}

  /**
   * C1: one rollout per app. flyctl leases every machine for a deploy; a lease held now means a
   * deploy is running (from cutover or anywhere), and a second one would make a release only to
   * fail on the leases. Refused before anything runs.
   */
  private async refuseLeased(app: string, machines: FlyMachine[]): Promise<void> {
    const held = await Promise.all(
      machines
        .filter(isAppMachine)
        .map(async (m) => ({ id: m.id, lease: await this.api.findLease(app, m.id) })),
    );
    const first = held.find((h) => h.lease !== null);
    if (!first?.lease) return;
    const what = first.lease.description ? ` (${first.lease.description})` : '';
    throw new ProviderError(
      'conflict',
      `a deploy is already running on ${app}: machine ${first.id} is leased by ${first.lease.owner}${what}; ` +
        `wait for it (cutover wait ${app} --platform fly) and try again; nothing was run`,
      { reason: 'lease-held' },
    );
  }

  /** The reply for a `fly deploy` that ran; a deploy that made no release is an error. */
  private replyFor(app: string, result: DeployResult, done: string, extra: Partial<Ok> = {}): CommandReply {
    const tail = result.output.split('\n').slice(-40).join('\n');
    if (result.version === null) {
      throw new ProviderError(
        'failed',
        `fly deploy exited ${result.exitCode} before making a release: ${lastLine(result.output)}`,
        {
          reason: 'deploy-failed',
          detail: tail,
        },
      );
    }
    const message =
      result.exitCode === 0
        ? `${app} v${result.version}: ${done}`
        : `${app} v${result.version}: fly deploy exited ${result.exitCode}: ${lastLine(result.output)}`;
    return {
      ok: true,
      app,
      version: result.version,
      noop: false,
      rollbackOf: null,
      message,
      warnings: [],
      ...extra,
    };
  }

  async deploy(fly: string, request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    if (request.path === undefined || request.tag !== undefined || request.container !== undefined) {
      throw new ProviderError(
        'usage',
        'on Fly, deploy takes a directory with a fly.toml: cutover deploy DIR --platform fly [--image IMAGE] [--strategy S]',
      );
    }
    const { app, text } = readFlyToml(request.path);
    await this.api.app(app);
    await this.refuseLeased(app, await this.api.listMachines(app));
    const secrets = await this.deployer.secretDigests(fly, app, this.store.appDir(app));
    this.context.note(app, 'info', 'command', `deploy from ${request.path} by ${options.user}`);
    const result = await this.deployer.run(fly, {
      app,
      what: 'deploy',
      args: ['deploy', '-a', app, ...(request.image ? ['-i', request.image] : []), ...strategyArgs(options)],
      cwd: request.path,
      config: null,
      flyToml: text,
      label: {
        kind: 'deploy',
        rollbackOf: null,
        user: options.user,
        strategy: options.strategy ?? null,
        note: null,
      },
      secrets,
    });
    this.store.setStopped(app, null);
    return this.replyFor(app, result, `deployed from ${request.path}`);
  }

  async rollback(
    fly: string,
    app: string,
    to: number | undefined,
    options: CommandOptions,
  ): Promise<CommandReply> {
    const state = await this.reader.state(app);
    await this.refuseLeased(app, state.machines);
    await this.reader.observe(app, state);
    const withMachines = state.releases.find((r) =>
      state.machines.some((m) => isAppMachine(m) && releaseVersionOf(m) === r.version),
    );
    const plan = planRollback({
      app,
      releases: state.releases,
      to,
      flyToml: (v) => this.store.flyToml(app, v),
      configs: (v) => this.reader.configsOf(app, v),
      secretsAt: (v) => this.store.secrets(app, v),
      configsNow: withMachines ? this.reader.configsOf(app, withMachines.version) : null,
      secretsNow: await this.deployer.secretDigests(fly, app, this.store.appDir(app)),
    });
    const v = plan.target.version;
    const newest = state.releases[0];
    if (newest && newest.version === v && isComplete(newest)) {
      return {
        ok: true,
        app,
        version: v,
        noop: true,
        rollbackOf: v,
        message: `${app} already runs v${v}; nothing changed`,
        warnings: [],
      };
    }
    this.context.note(app, 'info', 'command', `rollback to v${v} by ${options.user}: ${plan.note}`);
    for (const warning of plan.warnings) this.context.note(app, 'warn', 'rollback-warning', warning);
    const result = await this.deployer.run(fly, {
      app,
      what: `rollback-v${v}`,
      args: ['deploy', '-a', app, '-i', plan.image, ...strategyArgs(options)],
      cwd: null,
      config: plan.flyToml,
      flyToml: plan.flyToml,
      label: {
        kind: 'rollback',
        rollbackOf: v,
        user: options.user,
        strategy: options.strategy ?? null,
        note: plan.note,
      },
      secrets: null,
    });
    this.store.setStopped(app, null);
    return this.replyFor(app, result, `rolled back to v${v} (${plan.note})`, {
      rollbackOf: v,
      warnings: plan.warnings,
    });
  }

  async rollover(fly: string, app: string, options: CommandOptions): Promise<CommandReply> {
    const state = await this.reader.state(app);
    await this.refuseLeased(app, state.machines);
    const active = activeRelease(state.releases);
    if (!active?.image_ref) {
      throw new ProviderError('usage', `${app} has no complete release to roll over`, {
        reason: 'no-version',
      });
    }
    const toml = this.store.flyToml(app, active.version);
    const note = toml
      ? `image and config of v${active.version}`
      : `image of v${active.version}, config as it is now`;
    this.context.note(app, 'info', 'command', `rollover of v${active.version} by ${options.user}`);
    const result = await this.deployer.run(fly, {
      app,
      what: 'rollover',
      args: ['deploy', '-a', app, '-i', active.image_ref, ...strategyArgs(options)],
      cwd: null,
      config: toml,
      flyToml: toml,
      label: {
        kind: 'rollover',
        rollbackOf: null,
        user: options.user,
        strategy: options.strategy ?? null,
        note,
      },
      secrets: await this.deployer.secretDigests(fly, app, this.store.appDir(app)),
    });
    const warnings = toml
      ? []
      : [`v${active.version}'s fly.toml was never recorded: the config is the one Fly has now`];
    return this.replyFor(app, result, `rolled over v${active.version} (${note})`, { warnings });
  }
}
