// Kubernetes behind the engine's Provider: a Deployment is the app, a ReplicaSet revision a
// version, its pods the containers. Commands are the API calls kubectl makes (undo's JSON patch,
// restart's restartedAt, scale through /scale, set image, pause), so an audit log reads the same.
// The platform rolls; cutover watches and commands.
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { CommandReply } from '../../engine/effects.ts';
import type {
  AppListing,
  Capabilities,
  CommandOptions,
  DeployRequest,
  LogLine,
  LogOptions,
  Provider,
  Unsubscribe,
  WatchObserver,
} from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { Snapshot, VersionSummary } from '../../engine/snapshot.ts';
import { DeploymentFeed } from './deployment-feed.ts';
import type { KubeApi } from './kube-api.ts';
import { annotations, controlledBy, labelSelector, revisionOf } from './objects.ts';
import { podLogs } from './pod-logs.ts';
import { defaultTiming, type WatchTiming } from './resource-watch.ts';
import { maxRevision, toSnapshot } from './to-snapshot.ts';
import { configWarning, planUndo } from './undo.ts';

export const kubernetesCapabilities: Capabilities = {
  unavailable: {},
  strategies: [],
  strategyNote:
    "Kubernetes has no per-command strategy: a rollout uses the Deployment's own (spec.strategy: RollingUpdate or Recreate)",
  rollbackTo: 'retained',
  rollbackNote:
    'a rollback reaches the revisions the Deployment still keeps (spec.revisionHistoryLimit, default 10)',
  inputsNotReported: 'Kubernetes does not report requests: a Deployment has no request queue of its own',
};

interface Current {
  deployment: V1Deployment;
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
}

export class KubernetesProvider implements Provider {
  readonly platform = 'kubernetes';
  readonly capabilities = kubernetesCapabilities;
  readonly target: string;
  private readonly feeds = new Map<string, DeploymentFeed>();

  constructor(
    private readonly api: KubeApi,
    private readonly timing: WatchTiming = defaultTiming,
  ) {
    this.target = `${api.context}/${api.namespace}`;
  }

  private async read(app: string): Promise<Current> {
    let deployment: V1Deployment;
    try {
      deployment = await this.api.readDeployment(app);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'not-found') {
        throw new ProviderError(
          'not-found',
          `deployment "${app}" not found in namespace ${this.api.namespace} (context ${this.api.context})`,
          {
            reason: 'unknown-app',
          },
        );
      }
      throw error;
    }
    const selector = labelSelector(deployment);
    const [replicaSets, pods] = await Promise.all([
      this.api.listReplicaSets(selector),
      this.api.listPods(selector),
    ]);
    return {
      deployment,
      replicaSets: controlledBy(replicaSets.items, deployment.metadata?.uid),
      pods: pods.items,
    };
  }

  private feed(app: string): DeploymentFeed {
    let feed = this.feeds.get(app);
    if (!feed) {
      feed = new DeploymentFeed(this.api, app, this.timing);
      this.feeds.set(app, feed);
    }
    return feed;
  }

  async snapshot(app: string): Promise<Snapshot> {
    const current = await this.read(app);
    const log = this.feeds.get(app)?.log.events ?? [];
    return toSnapshot(current, { events: [...log], metrics: [], at: Date.now() });
  }

  watch(app: string, observer: WatchObserver): Unsubscribe {
    return this.feed(app).subscribe(observer);
  }

  private reply(
    app: string,
    version: number,
    message: string,
    extra: Partial<Extract<CommandReply, { ok: true }>> = {},
  ): CommandReply {
    return { ok: true, app, version, noop: false, rollbackOf: null, message, warnings: [], ...extra };
  }

  private note(app: string, user: string, message: string): void {
    this.feed(app).log.add(Date.now(), app, 'info', 'command', `${message} (by ${user})`);
  }

  private refusePaused(current: Current, what: string): void {
    const name = current.deployment.metadata?.name ?? '';
    if (current.deployment.spec?.paused) {
      throw new ProviderError(
        'conflict',
        `can't ${what} paused deployment (run rollout resume first: cutover resume ${name})`,
        {
          reason: 'paused',
        },
      );
    }
  }

  /** kubectl set image: a strategic merge patch of one container's image. */
  async deploy(request: DeployRequest, options: CommandOptions): Promise<CommandReply> {
    if (request.path !== undefined || request.tag !== undefined) {
      throw new ProviderError(
        'usage',
        'on Kubernetes, deploy takes a Deployment and an image: cutover deploy APP --image IMAGE [--container NAME]',
      );
    }
    const app = request.app;
    const image = request.image;
    if (!app || !image)
      throw new ProviderError(
        'usage',
        'cutover deploy APP --image IMAGE [--container NAME] (which Deployment, which image?)',
      );
    const current = await this.read(app);
    const containers = current.deployment.spec?.template?.spec?.containers ?? [];
    const names = containers.map((c) => c.name);
    const name = request.container ?? (containers.length === 1 ? names[0] : undefined);
    if (name === undefined) {
      throw new ProviderError(
        'usage',
        `deployment "${app}" has ${containers.length} containers (${names.join(', ')}): pass --container NAME`,
      );
    }
    const container = containers.find((c) => c.name === name);
    if (!container)
      throw new ProviderError(
        'not-found',
        `deployment "${app}" has no container ${name} (it has ${names.join(', ')})`,
      );
    const revision = revisionOf(current.deployment);
    if (container.image === image) {
      return this.reply(app, revision, `${app}: container ${name} already runs ${image}; nothing changed`, {
        noop: true,
      });
    }
    this.refusePaused(current, 'deploy to a');
    const patch = { spec: { template: { spec: { containers: [{ name, image }] } } } };
    await this.api.patchDeployment(app, patch, 'strategic', 'kubectl-set');
    const next = maxRevision(current.replicaSets) + 1;
    this.note(app, options.user, `deploy: ${name} → ${image}`);
    return this.reply(app, next, `deployment.apps/${app} image updated: ${name}=${image} (revision ${next})`);
  }

  /** kubectl rollout restart: the restartedAt annotation on the pod template (O1). */
  async rollover(app: string, options: CommandOptions): Promise<CommandReply> {
    const current = await this.read(app);
    this.refusePaused(current, 'restart');
    const patch = {
      spec: {
        template: {
          metadata: {
            annotations: { [annotations.restartedAt]: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
          },
        },
      },
    };
    await this.api.patchDeployment(app, patch, 'strategic', 'kubectl-rollout');
    const next = maxRevision(current.replicaSets) + 1;
    this.note(app, options.user, 'rollover (rollout restart)');
    return this.reply(app, next, `deployment.apps/${app} restarted (revision ${next})`);
  }

  /** kubectl rollout undo [--to-revision=N] (B1), with B2's warning about what it cannot restore. */
  async rollback(app: string, to: number | undefined, options: CommandOptions): Promise<CommandReply> {
    const current = await this.read(app);
    const plan = planUndo(current.deployment, current.replicaSets, to);
    if (plan.skip) {
      return this.reply(app, revisionOf(current.deployment), plan.message, {
        noop: true,
        rollbackOf: plan.revision,
      });
    }
    await this.api.patchDeployment(app, plan.patch, 'json');
    const next = maxRevision(current.replicaSets) + 1;
    const warning = configWarning(plan.template, plan.revision);
    this.note(app, options.user, `rollback to v${plan.revision}`);
    return this.reply(
      app,
      next,
      `deployment.apps/${app} rolled back to revision ${plan.revision} (now revision ${next})`,
      {
        rollbackOf: plan.revision,
        warnings: warning ? [warning] : [],
      },
    );
  }

  /** T1 on Kubernetes: scale to 0 through /scale, the replica count kept in an annotation. */
  async stop(app: string, options: CommandOptions): Promise<CommandReply> {
    const current = await this.read(app);
    const replicas = current.deployment.spec?.replicas ?? 1;
    const revision = revisionOf(current.deployment);
    if (replicas === 0) return this.reply(app, revision, `${app} is already scaled to 0`, { noop: true });
    const mark = { metadata: { annotations: { [annotations.replicasBeforeStop]: String(replicas) } } };
    await this.api.patchDeployment(app, mark, 'merge');
    await this.api.scaleDeployment(app, 0);
    this.note(app, options.user, `stop: scaled to 0 (was ${replicas})`);
    return this.reply(
      app,
      revision,
      `deployment.apps/${app} scaled to 0 (was ${replicas}; kept in ${annotations.replicasBeforeStop})`,
    );
  }

  pause(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.setPaused(app, true, options.user);
  }

  resume(app: string, options: CommandOptions): Promise<CommandReply> {
    return this.setPaused(app, false, options.user);
  }

  /** kubectl rollout pause / resume: spec.paused by strategic merge patch. */
  private async setPaused(app: string, paused: boolean, user: string): Promise<CommandReply> {
    const current = await this.read(app);
    const revision = revisionOf(current.deployment);
    const word = paused ? 'paused' : 'resumed';
    if ((current.deployment.spec?.paused === true) === paused) {
      return this.reply(app, revision, `deployment.apps/${app} already ${word}`, { noop: true });
    }
    await this.api.patchDeployment(app, { spec: { paused } }, 'strategic', 'kubectl-rollout');
    this.note(app, user, word);
    return this.reply(app, revision, `deployment.apps/${app} ${word}`);
  }

  async history(app: string, limit: number): Promise<VersionSummary[]> {
    return (await this.snapshot(app)).history.slice(0, limit);
  }

  async apps(): Promise<AppListing[]> {
    const list = await this.api.listDeployments();
    return list.items.map((d) => {
      const stopped =
        d.spec?.replicas === 0 && d.metadata?.annotations?.[annotations.replicasBeforeStop] !== undefined;
      const revision = revisionOf(d);
      const name = d.metadata?.name ?? '';
      return {
        app: name,
        appId: name,
        status: stopped ? 'stopped' : 'deployed',
        version: revision > 0 ? revision : null,
      };
    });
  }

  logs(app: string, options: LogOptions): AsyncIterable<LogLine> {
    const api = this.api;
    const read = () => this.read(app);
    return (async function* () {
      const current = await read();
      yield* podLogs(api, current.pods, options);
    })();
  }

  close(): void {
    // Feeds stop when their last subscriber leaves; nothing else holds a connection open.
  }
}
