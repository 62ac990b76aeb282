// rollback, rollover and stop, each through the real `modal` CLI (py/modal/cli/app.py):
//   modal app rollback APP [vN] --strategy S   (no version: Modal's "previous", live − 1)
//   modal app rollover APP --strategy S
//   modal app stop APP --yes                   (cutover has already confirmed: typed name or --yes)
// The version a command created is read from `modal app history` afterwards: Modal prints none.
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { CommandOrigin, CommandRecorder, RecordedRun } from './command-recorder.ts';
import { modalError, modalMessage } from './modal-errors.ts';
import { checkAppName } from './names.ts';
import type { AppReader } from './observe.ts';
import { isLive, type ModalApp } from './parse-apps.ts';
import type { ModalVersion } from './parse-history.ts';

/** B2 on Modal: a version restores code and image, not what lives outside it. */
const rollbackWarning =
  'Secrets and Volumes are not part of a Modal version: the rolled-back code uses their current contents (B2)';

function stoppedReply(app: string): CommandReply {
  return {
    ok: false,
    app,
    code: 'app-stopped',
    message: `${app} is stopped; a stopped Modal app cannot be started again (modal deploy of the name creates a new app)`,
  };
}

/** Modal's success line (`✓ Deployment rollback successful!`, `Rollover completed in …`). */
function summaryLine(run: RecordedRun): string {
  const line = run.run.output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /successful|completed in/i.test(l));
  return line === undefined ? '' : `: ${line.replace(/^✓\s*/, '')}`;
}

export class AppCommands {
  constructor(
    private readonly reader: AppReader,
    private readonly recorder: CommandRecorder,
  ) {}

  private async liveApp(name: string): Promise<{ app: ModalApp; history: ModalVersion[] } | CommandReply> {
    const app = await this.reader.app(checkAppName(name));
    if (!isLive(app)) return stoppedReply(name);
    return { app, history: await this.reader.history(app) };
  }

  /**
   * Runs a command that creates a version and finds that version in the history. A run that
   * failed yet created one (a recreate whose old containers did not all stop: Modal warns and
   * exits 1) is a success with Modal's message as a warning.
   */
  private async versionCommand(
    target: { app: ModalApp; history: ModalVersion[] },
    origin: CommandOrigin,
    args: string[][],
  ): Promise<{ run: RecordedRun; version: number; warnings: string[] }> {
    const name = target.app.name;
    const before = target.history[0]?.version ?? 0;
    let recorded = await this.recorder.run(name, target.app.appId, origin, args[0]!);
    // Clients before 1.5.1 have no `rollback --strategy`: with none chosen, Modal's default is asked.
    if (
      recorded.run.exitCode === 2 &&
      args[1] !== undefined &&
      /No such option.*--strategy/.test(recorded.run.output)
    ) {
      this.recorder.finish(name, recorded.id, origin, null, false);
      recorded = await this.recorder.run(name, target.app.appId, origin, args[1]);
    }
    const after = recorded.run.exitCode === 2 ? target.history : await this.reader.history(target.app);
    const created = after[0] !== undefined && after[0].version > before ? after[0].version : null;
    this.recorder.finish(name, recorded.id, origin, created, created !== null);
    if (created === null) {
      const error = modalError(recorded.run);
      this.recorder.event(name, target.app.appId, {
        level: 'error',
        kind: `${origin.kind}-failed`,
        message: error.message,
        detail: recorded.run.output,
      });
      throw error;
    }
    const warnings = recorded.run.exitCode === 0 ? [] : [`Modal: ${modalMessage(recorded.run.output)}`];
    return { run: recorded, version: created, warnings };
  }

  async rollback(name: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    const target = await this.liveApp(name);
    if ('ok' in target) return target;
    const live = target.history[0];
    if (live === undefined)
      throw new ProviderError('conflict', `${name} has no deployment history to roll back in`);
    const rollbackOf = to ?? (live.version > 1 ? live.version - 1 : null);
    if (rollbackOf === null)
      return {
        ok: false,
        app: name,
        code: 'no-earlier-version',
        message: `${name} has no version before v${live.version}`,
      };
    const strategy = options.strategy ?? 'rolling';
    const version = to === undefined ? [] : [`v${to}`];
    const base = ['app', 'rollback', name, ...version];
    const args =
      options.strategy === undefined
        ? [[...base, '--strategy', strategy], base]
        : [[...base, '--strategy', strategy]];
    const origin: CommandOrigin = { kind: 'rollback', strategy, user: options.user, rollbackOf };
    try {
      const done = await this.versionCommand(target, origin, args);
      return {
        ok: true,
        app: name,
        version: done.version,
        noop: false,
        rollbackOf,
        message: `${name} v${done.version}: rollback to v${rollbackOf} (${strategy})${summaryLine(done.run)}`,
        warnings: [rollbackWarning, ...done.warnings],
      };
    } catch (error) {
      // An unknown version is bad input (exit 2), whatever words Modal's server chose for it.
      if (
        error instanceof ProviderError &&
        error.code === 'failed' &&
        to !== undefined &&
        !target.history.some((v) => v.version === to)
      ) {
        throw new ProviderError('not-found', error.message, {
          reason: 'unknown-version',
          detail: error.options.detail ?? '',
        });
      }
      throw error;
    }
  }

  async rollover(name: string, options: CommandOptions): Promise<CommandReply> {
    const target = await this.liveApp(name);
    if ('ok' in target) return target;
    const strategy = options.strategy ?? 'rolling';
    const origin: CommandOrigin = { kind: 'rollover', strategy, user: options.user, rollbackOf: null };
    const done = await this.versionCommand(target, origin, [
      ['app', 'rollover', name, '--strategy', strategy],
    ]);
    return {
      ok: true,
      app: name,
      version: done.version,
      noop: false,
      rollbackOf: null,
      message: `${name} v${done.version}: rollover (${strategy})${summaryLine(done.run)}`,
      warnings: done.warnings,
    };
  }

  async stop(name: string, options: CommandOptions): Promise<CommandReply> {
    const target = await this.liveApp(name);
    if ('ok' in target) return target;
    const origin: CommandOrigin = { kind: 'stop', strategy: '', user: options.user, rollbackOf: null };
    const recorded = await this.recorder.run(name, target.app.appId, origin, ['app', 'stop', name, '--yes']);
    this.recorder.finish(name, recorded.id, origin, null, recorded.run.exitCode === 0);
    if (recorded.run.exitCode !== 0) {
      if (/already stopped/i.test(recorded.run.output)) return stoppedReply(name);
      throw modalError(recorded.run);
    }
    this.recorder.event(name, target.app.appId, {
      level: 'warn',
      kind: 'app-stopped',
      message: `${options.user} stopped ${name}; a stopped Modal app cannot be started again`,
    });
    return {
      ok: true,
      app: name,
      version: target.history[0]?.version ?? 0,
      noop: false,
      rollbackOf: null,
      message: `stopped ${name} (${target.app.appId}) in ${this.reader.where()}. A stopped Modal app cannot be started again: modal deploy of the name creates a new app; this one's history stays readable here.`,
      warnings: [],
    };
  }
}
