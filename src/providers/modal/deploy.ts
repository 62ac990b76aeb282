// `cutover deploy FILE --platform modal` → `modal deploy FILE --strategy S [--tag T]`: Modal
// deploys Python source (no image deploy). "no changes detected" is a no-op (D2); a failure
// (an import error, an image build that failed) changes nothing and keeps Modal's output in the
// reply and in the app's event log (D4).
import { readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions, DeployRequest } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { CommandOrigin, CommandRecorder } from './command-recorder.ts';
import { appNameInSource, readDeployOutput } from './deploy-output.ts';
import { codeFor, modalError, modalMessage } from './modal-errors.ts';
import { checkTag } from './names.ts';
import type { AppReader } from './observe.ts';
import type { ModalStore } from './store.ts';

/** The Python file a request names, checked before Modal is asked anything. */
function deployFile(request: DeployRequest): { file: string; source: string } {
  if (request.image !== undefined) {
    throw new ProviderError(
      'usage',
      'Modal deploys Python source (modal deploy FILE), not an image; drop --image',
    );
  }
  if (request.path === undefined)
    throw new ProviderError('usage', 'which file? cutover deploy FILE.py --platform modal');
  const file = isAbsolute(request.path) ? request.path : resolve(request.path);
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new ProviderError('usage', `${file}: no such file`);
  }
  if (!isFile)
    throw new ProviderError(
      'usage',
      `${file} is a directory; Modal deploys a Python file (modal deploy FILE.py)`,
    );
  return { file, source: readFileSync(file, 'utf8') };
}

export class ModalDeploy {
  constructor(
    private readonly reader: AppReader,
    private readonly recorder: CommandRecorder,
    private readonly store: ModalStore,
  ) {}

  async deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply & { output?: string }> {
    const { file, source } = deployFile(request);
    const tag = request.tag === undefined ? [] : ['--tag', checkTag(request.tag)];
    const strategy = options.strategy ?? 'rolling';
    const origin: CommandOrigin = { kind: 'deploy', strategy, user: options.user, rollbackOf: null };
    // The name in the source lets a watcher show "building" while Modal builds; Modal's own
    // output (the View Deployment URL) settles it afterwards.
    const guess = appNameInSource(source);
    const recorded = await this.recorder.run(guess, guess ?? '', origin, [
      'deploy',
      file,
      '--strategy',
      strategy,
      ...tag,
    ]);
    const { run } = recorded;
    const said = readDeployOutput(run.output);
    const name = said.app ?? guess;
    if (run.exitCode !== 0 || name === null || !(said.deployed || said.noop)) {
      const message =
        run.exitCode === 0 ? 'modal deploy ended without saying what it deployed' : modalMessage(run.output);
      const { code } = codeFor(run, message);
      if (guess !== null) {
        this.recorder.finish(guess, recorded.id, origin, null, false);
        this.recorder.event(guess, guess, {
          level: 'error',
          kind: 'deploy-failed',
          message: `deploy of ${basename(file)} failed, nothing changed: ${message}`,
          detail: run.output,
        });
      }
      if (code !== 'failed' && run.exitCode !== 0) throw modalError(run);
      return {
        ok: false,
        app: name ?? basename(file),
        code: 'build-failed',
        message: `modal deploy ${basename(file)} failed; nothing changed (D4): ${message}`,
        output: run.output,
      };
    }
    const app = await this.reader.app(name);
    if (said.functions.length > 0) this.store.saveFunctions(name, { names: said.functions, urls: said.urls });
    const history = await this.reader.history(app);
    const version = history[0]?.version ?? 0;
    // A guess the output contradicted is closed, so it never shows "building" again.
    if (guess !== null && guess !== name) this.recorder.finish(guess, recorded.id, origin, null, false);
    const learnt = name !== guess ? recorded.startedAt : undefined;
    this.recorder.finish(name, recorded.id, origin, said.noop ? null : version, true, learnt);
    if (said.noop) {
      return {
        ok: true,
        app: name,
        version,
        noop: true,
        rollbackOf: null,
        message: `no changes detected: ${name} stays at v${version} (D2; Modal: ${said.summary})`,
        warnings: [],
      };
    }
    return {
      ok: true,
      app: name,
      version,
      noop: false,
      rollbackOf: null,
      message: `${name} v${version} deployed (${strategy}): ${said.summary}`,
      warnings: [],
    };
  }
}
