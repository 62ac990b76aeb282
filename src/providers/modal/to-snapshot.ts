// One observation of a Modal app (what `modal app list`, `modal app history`, `modal container
// list` and the stats helper said, plus cutover's own records) as the engine's Snapshot. Pure:
// the same observation always gives the same snapshot.
import type {
  ContainerSummary,
  FunctionSummary,
  InputSummary,
  RolloutSummary,
  Snapshot,
  VersionSummary,
} from '../../engine/snapshot.ts';
import type { AppEvent, MetricSample } from '../../engine/types.ts';
import { splitContainers } from './container-split.ts';
import { isLive, type ModalApp } from './parse-apps.ts';
import type { ModalContainer } from './parse-containers.ts';
import { describeVersion, type ModalVersion } from './parse-history.ts';
import type { StatsResult } from './stats-helper.ts';
import type { CommandState, DeployedFunctions } from './store.ts';
import { buildingDeploy, type VersionOrigin, versionOrigins } from './version-kinds.ts';

/** Everything one poll saw. */
export interface Observation {
  at: number;
  app: ModalApp;
  /** Newest first. */
  history: ModalVersion[];
  containers: ModalContainer[];
  stats: StatsResult;
  commands: CommandState[];
  deployed: DeployedFunctions | null;
}

/** Modal's default strategy (`modal deploy --strategy`, py/modal/cli/run.py). */
const defaultStrategy = 'rolling';
/** A new version whose containers are all Pending counts as rolling out for this long. */
const startingWindowMs = 10 * 60_000;

/** The function names: those the SDK listed, else those `modal deploy` printed. */
export function functionNames(o: Pick<Observation, 'stats' | 'deployed'>): string[] {
  if (o.stats.ok && o.stats.functions.length > 0) return o.stats.functions.map((f) => f.name);
  return o.deployed?.names ?? [];
}

function sum(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

export function inputsOf(stats: StatsResult): { inputs: InputSummary; note: string } {
  const none: InputSummary = {
    queued: null,
    inFlight: null,
    done: null,
    failed: null,
    donePerSecond: null,
    failedPerSecond: null,
    p50: null,
    p95: null,
  };
  if (!stats.ok) return { inputs: none, note: `not reported: ${stats.reason}` };
  const queued = sum(stats.functions.map((f) => f.queued));
  const inFlight = sum(stats.functions.map((f) => f.inFlight));
  const errors = stats.functions.filter((f) => f.error !== null).map((f) => `${f.name}: ${f.error}`);
  const parts = [
    `from Function.get_current_stats (modal ${stats.client}): queued = backlog, in flight = running inputs; done, failed and latency are not reported`,
    inFlight === null ? 'this client reports no running inputs (modal < 1.3.5)' : '',
    errors.length > 0 ? `not read: ${errors.join('; ')}` : '',
  ];
  return { inputs: { ...none, queued, inFlight }, note: parts.filter(Boolean).join('; ') };
}

function functionsOf(o: Observation, names: string[], containers: ContainerSummary[]): FunctionSummary[] {
  return names.map((name) => {
    const runners = o.stats.ok ? (o.stats.functions.find((f) => f.name === name)?.runners ?? null) : null;
    const live = containers.filter((c) => c.state !== 'draining').length;
    return {
      name,
      url: o.deployed?.urls[name] ?? null,
      // Modal autoscales: there is no target count; the runners it reports, else what is running.
      target: runners ?? (names.length === 1 ? live : 0),
      concurrency: 0,
    };
  });
}

function rolloutOf(
  o: Observation,
  containers: ContainerSummary[],
  origin: VersionOrigin | undefined,
): RolloutSummary | null {
  const live = o.history[0];
  if (live === undefined || !isLive(o.app)) return null;
  const old = containers.filter((c) => c.state === 'draining').length;
  const pending = containers.filter((c) => c.state === 'starting').length;
  const ready = containers.filter((c) => c.state === 'ready').length;
  const recent = live.deployedAt !== null && o.at - live.deployedAt < startingWindowMs;
  const going = old > 0 || origin?.running === true || (pending > 0 && ready === 0 && recent);
  if (!going) return null;
  const strategy = origin?.strategy ?? defaultStrategy;
  const from = o.history[1]?.version ?? null;
  const phase: RolloutSummary['phase'] =
    strategy === 'recreate' ? 'recreating' : ready === 0 ? 'starting' : 'rolling';
  const arrow = from === null ? '' : `v${from} → `;
  return {
    from,
    to: live.version,
    kind: origin?.kind ?? 'deploy',
    strategy,
    phase,
    message: `${arrow}v${live.version} ${strategy}: ${ready} new ready, ${pending} pending, ${old} old left (old/new by start time against v${live.version}'s deploy)`,
    ready,
    target: ready + pending + old,
    startedAt: live.deployedAt ?? o.at,
  };
}

function historyOf(o: Observation, origins: Map<number, VersionOrigin>, rolling: boolean): VersionSummary[] {
  const liveApp = isLive(o.app);
  return o.history.map((v, index): VersionSummary => {
    const origin = origins.get(v.version);
    const outcome = !liveApp || index > 0 ? 'superseded' : rolling ? 'rolling' : 'active';
    return {
      version: v.version,
      kind: origin?.kind ?? 'deploy',
      strategy: origin?.strategy ?? 'not reported',
      user: v.deployedBy ?? origin?.user ?? 'not reported',
      createdAt: v.deployedAt ?? 0,
      outcome,
      rollbackOf: origin?.rollbackOf ?? null,
      image: '',
      specHash: '',
      description: describeVersion(v),
    };
  });
}

/** M1/M2: what one poll adds to the chart (runners by version and state, queued, in flight). */
export function sampleOf(snapshot: Snapshot): MetricSample {
  const containers: MetricSample['containers'] = {};
  for (const c of snapshot.containers) {
    const byState = containers[String(c.version)] ?? {};
    byState[c.state] = (byState[c.state] ?? 0) + 1;
    containers[String(c.version)] = byState;
  }
  return {
    appId: snapshot.appId,
    at: snapshot.at,
    containers,
    // MetricSample has no "not reported": 0 stands in, and inputsNote says why.
    queued: snapshot.inputs.queued ?? 0,
    inFlight: snapshot.inputs.inFlight ?? 0,
    done: 0,
    failed: 0,
    p50: null,
    p95: null,
    p99: null,
  };
}

export function toSnapshot(o: Observation, events: AppEvent[], metrics: MetricSample[]): Snapshot {
  const names = functionNames(o);
  const liveApp = isLive(o.app);
  const containers = liveApp ? splitContainers(o.containers, o.history, names) : [];
  const origins = versionOrigins(o.history, o.commands, o.at);
  const live = o.history[0];
  const rollout = rolloutOf(o, containers, live === undefined ? undefined : origins.get(live.version));
  const { inputs, note } = inputsOf(o.stats);
  const building = liveApp ? buildingDeploy(o.history, o.commands, o.at) : null;
  return {
    platform: 'modal',
    app: o.app.name,
    appId: o.app.appId,
    status: liveApp ? 'deployed' : 'stopped',
    version: live?.version ?? null,
    strategy: defaultStrategy,
    rollout,
    // `modal app rollback APP` with no version goes to the live version − 1 (py/modal/cli/app.py).
    rollbackTarget: liveApp && live !== undefined && live.version > 1 ? live.version - 1 : null,
    inputsNote: note,
    building: building === null ? null : { since: building.startedAt, user: building.user },
    failed: null,
    functions: functionsOf(o, names, containers),
    containers,
    inputs: liveApp ? inputs : { ...inputs, queued: null, inFlight: null },
    events,
    history: historyOf(o, origins, rollout !== null),
    metrics,
    at: o.at,
  };
}
