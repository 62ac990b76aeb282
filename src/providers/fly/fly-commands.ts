// The commands: deploy (`fly deploy` in the app's directory), rollback to vN (`fly deploy -c
// <vN's recorded fly.toml> -i <vN's image>`), rollover (`fly deploy -i <current image>`: a new
// release with the same image and config, every machine replaced under the chosen strategy, O1),
// and stop (every machine stopped through the Machines API under a lease, T1). Each checks what it
// can before anything runs, so bad input changes nothing.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions, DeployRequest } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { AppEvent } from '../../engine/types.ts';
import type { AppReader } from './app-reader.ts';
import type { FlyApi } from './fly-api.ts';
import { lastLine } from './fly-cli.ts';
import type { DeployResult, FlyDeployer } from './fly-deployer.ts';
import { configOf, isAppMachine, processGroupOf, releaseVersionOf } from './fly-types.ts';
import { activeRelease, isComplete } from './release-history.ts';
import { checkAppName, type ReleaseStore } from './release-store.ts';
import { planRollback } from './rollback-plan.ts';

type Ok = Extract<CommandReply, { ok: true }>;

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** Adds a line to the app's event log. */
  note: (app: string, level: AppEvent['level'], kind: string, message: string) => void;
}

const strategyArgs = (options: CommandOptions) => (options.strategy ? ['--strategy', options.strategy] : []);

/** The app a directory's fly.toml names, and the file's text; usage errors say where it went wrong. */
export function readFlyToml(dir: string): { app: string; text: string } {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ProviderError('usage', `${dir} is not a directory`);
  const file = join(dir, 'fly.toml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ProviderError(
      'usage',
      `no fly.toml in ${dir}: run fly launch there first, or fly config save -a APP`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : '';
    throw new ProviderError('usage', `${file}${where}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc.app !== 'string' || doc.app === '') {
    throw new ProviderError('usage', `${file}: no app = "NAME" line (which Fly app does it deploy?)`);
  }
  checkAppName(doc.app);
  return { app: doc.app, text };
}

export class FlyCommands {
  constructor(
    private readonly api: FlyApi,
    private readonly store: ReleaseStore,
    private readonly reader: AppReader,
    private readonly deployer: FlyDeployer,
    private readonly context: CommandContext,
  ) {}

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

  async stop(app: string, options: CommandOptions): Promise<CommandReply> {
    const [machines, releases] = await Promise.all([this.api.listMachines(app), this.api.releases(app, 5)]);
    const version = activeRelease(releases)?.version ?? releases[0]?.version ?? 0;
    const idle = ['stopped', 'suspended', 'stopping', 'destroyed', 'destroying'];
    const running = machines.filter((m) => isAppMachine(m) && !idle.includes(m.state ?? ''));
    if (running.length === 0) {
      return {
        ok: true,
        app,
        version,
        noop: true,
        rollbackOf: null,
        message: `every machine of ${app} is already stopped`,
        warnings: [],
      };
    }
    const outcomes = await Promise.allSettled(
      running.map(async (m) => {
        const nonce = await this.api.acquireLease(app, m.id, 30, `cutover stop by ${options.user}`);
        try {
          await this.api.stopMachine(app, m.id, nonce);
        } finally {
          await this.api.releaseLease(app, m.id, nonce).catch(() => undefined);
        }
      }),
    );
    const failed = outcomes.flatMap((o, i) =>
      o.status === 'rejected' ? [`${running[i]!.id}: ${(o.reason as Error).message}`] : [],
    );
    const stopped = running.length - failed.length;
    if (stopped > 0) {
      this.store.setStopped(app, { at: Date.now(), user: options.user });
      this.context.note(app, 'info', 'command', `stop by ${options.user}: ${stopped} machines stopped`);
    }
    if (failed.length > 0) {
      const conflict = outcomes.some(
        (o) => o.status === 'rejected' && o.reason instanceof ProviderError && o.reason.code === 'conflict',
      );
      throw new ProviderError(
        conflict ? 'conflict' : 'failed',
        `stopped ${stopped} of ${running.length} machines of ${app}; not stopped: ${failed.join('; ')}`,
      );
    }
    const waking = [
      ...new Set(
        running
          .filter((m) => (configOf(m).services ?? []).some((s) => s.autostart !== false))
          .map(processGroupOf),
      ),
    ];
    const warnings = waking.map(
      (group) =>
        `auto-start is on for ${group}: Fly's proxy starts these machines again on the next request ` +
        '(set auto_start_machines = false in fly.toml and deploy, or fly scale count 0, to keep them down)',
    );
    return {
      ok: true,
      app,
      version,
      noop: false,
      rollbackOf: null,
      message: `stopped ${stopped} machines of ${app}`,
      warnings,
    };
  }
}
