// Runs `fly deploy` for deploy, rollback and rollover, learns the release it made, and records
// what cutover knows of it (its label, the fly.toml it deployed, the secret digests then) keyed by
// that release. flyctl does the rollout itself: leases, pools, waits, checks, release status.
import { join } from 'node:path';
import { ProviderError } from '../../engine/provider-error.ts';
import type { FlyApi } from './fly-api.ts';
import { lastLine, runFly } from './fly-cli.ts';
import { type DeployRun, startFlyDeploy } from './fly-deploy-run.ts';
import type { FlySecretDigest } from './fly-types.ts';
import { writeOwnerOnly } from './owner-only-files.ts';
import { beginDeploy, forgetDeploy, settleDeploy } from './pending-deploy.ts';
import type { ReleaseLabel, ReleaseStore } from './release-store.ts';

/** One `fly deploy` to run. */
export interface DeployJob {
  app: string;
  /** `deploy`, `rollback`, `rollover`: names the run's directory. */
  what: string;
  args: string[];
  /** Where flyctl runs: the app's directory for a deploy, an empty run directory otherwise. */
  cwd: string | null;
  /** A fly.toml to deploy with `-c` (written into the run directory); null: flyctl's own choice. */
  config: string | null;
  /** The fly.toml to record for the release (the exact text deployed), if any. */
  flyToml: string | null;
  /** What to label the release with. */
  label: Omit<ReleaseLabel, 'at'>;
  /** The secret digests just before the deploy (what its machines get), or null. */
  secrets: Record<string, string> | null;
}

export interface DeployResult {
  /** The release made, or null when flyctl failed before making one. */
  version: number | null;
  exitCode: number | null;
  output: string;
}

export class FlyDeployer {
  private readonly running = new Set<DeployRun>();

  constructor(
    private readonly api: FlyApi,
    private readonly store: ReleaseStore,
    private readonly env: NodeJS.ProcessEnv,
    /** Streams each line of flyctl's output into the app's event log. */
    private readonly onLine: (app: string, line: string) => void,
  ) {}

  /** `fly secrets list --json` as name → digest (values are never read), or null when it fails. */
  async secretDigests(fly: string, app: string, cwd: string): Promise<Record<string, string> | null> {
    const result = await runFly(fly, ['secrets', 'list', '-a', app, '--json'], { cwd, env: this.env });
    if (result.exitCode !== 0) return null;
    try {
      const list = JSON.parse(result.stdout) as FlySecretDigest[];
      return Object.fromEntries(list.map((s) => [s.name, s.digest]));
    } catch {
      return null;
    }
  }

  async run(fly: string, job: DeployJob): Promise<DeployResult> {
    const before = (await this.api.releases(job.app, 1))[0]?.version ?? 0;
    const runDir = this.store.runDir(job.app, job.what);
    const cwd = job.cwd ?? runDir;
    const args = [...job.args];
    if (job.config !== null) {
      // A copy of its own: the stored original stays as it was whatever flyctl does.
      const file = join(runDir, 'fly.toml');
      writeOwnerOnly(file, job.config);
      args.push('-c', file);
    }
    // Recorded first: if this process ends before flyctl does, the next reader settles it.
    const { label, flyToml, secrets } = job;
    beginDeploy(this.store, job.app, { after: before, startedAt: Date.now(), label, flyToml, secrets });
    const run = startFlyDeploy(fly, args, {
      cwd,
      env: this.env,
      logFile: join(runDir, 'output.log'),
      onLine: (line) => this.onLine(job.app, line),
    });
    this.running.add(run);
    const outcome = await run.done.finally(() => this.running.delete(run));
    // The release line names it exactly; without it (a failed deploy, an older flyctl), the
    // newest release made since the deploy started is the one.
    let version = outcome.release?.version ?? null;
    if (version === null) {
      const newest = (await this.api.releases(job.app, 1))[0];
      if (newest && newest.version > before) version = newest.version;
    }
    if (/lease currently held by/i.test(outcome.output)) {
      forgetDeploy(this.store, job.app);
      throw new ProviderError(
        'conflict',
        `another deploy holds ${job.app}'s machines (${lastLine(outcome.output)})` +
          (version === null ? '' : `; flyctl marked release v${version} failed`),
        { reason: 'lease-held', detail: outcome.output.split('\n').slice(-20).join('\n') },
      );
    }
    if (version === null) forgetDeploy(this.store, job.app);
    else settleDeploy(this.store, job.app, version, version);
    return { version, exitCode: outcome.exitCode, output: outcome.output };
  }

  /** Lets this process exit while deploys it started go on (they run in their own session). */
  detachAll(): void {
    for (const run of this.running) run.detach();
  }
}
