// A Fly app at one moment as the engine's Snapshot: machines by process group (functions) and
// by release (versions), the release rolling out, the one that failed and why, inputs from the
// metrics API. Bluegreen (the GOOD/LATEST pattern as a strategy) names both colours while it
// runs: blue is the release serving now, green the one being verified beside it.
import type {
  ContainerSummary,
  FunctionSummary,
  InputSummary,
  RolloutSummary,
  Snapshot,
  VersionSummary,
} from '../../engine/snapshot.ts';
import type { AppEvent, MetricSample } from '../../engine/types.ts';
import {
  configOf,
  type FlyMachine,
  type FlyRelease,
  isAppMachine,
  metadataKeys,
  processGroupOf,
  releaseVersionOf,
} from './fly-types.ts';
import { containerOf } from './machine-container.ts';
import type { InputsReading } from './metrics-api.ts';
import {
  activeRelease,
  defaultRollbackTarget,
  isFailed,
  isRunning,
  strategyWord,
} from './release-history.ts';

export interface FlyState {
  app: string;
  machines: FlyMachine[];
  /** Newest first. */
  releases: FlyRelease[];
  history: VersionSummary[];
  inputs: InputsReading | null;
  /** Why inputs are not reported (or what of them is not), for the screen. */
  inputsNote: string;
  /** Set when cutover stopped every machine and none has started since. */
  stopped: boolean;
  events: AppEvent[];
  metrics: MetricSample[];
  at: number;
}

const notReported: InputSummary = {
  queued: null,
  inFlight: null,
  done: null,
  failed: null,
  donePerSecond: null,
  failedPerSecond: null,
  p50: null,
  p95: null,
};

/** Soft limit's documented default when a service sets none (superfly/docs reference/configuration). */
const defaultSoftLimit = 20;

const isCanary = (m: FlyMachine) => configOf(m).metadata?.[metadataKeys.canary] === 'true';

/** The colours of a bluegreen deploy in progress, or null. */
export function bluegreenColours(
  rolling: FlyRelease | null,
  containers: ContainerSummary[],
): { blue: number[]; green: number } | null {
  if (!rolling || strategyWord(rolling) !== 'bluegreen') return null;
  const blue = [...new Set(containers.filter((c) => c.version !== rolling.version).map((c) => c.version))];
  return { blue: blue.sort((a, b) => a - b), green: rolling.version };
}

function functionsOf(
  app: string,
  machines: FlyMachine[],
  colours: { green: number } | null,
): FunctionSummary[] {
  const groups = [...new Set(machines.map(processGroupOf))].sort((a, b) =>
    a === 'app' ? -1 : b === 'app' ? 1 : a.localeCompare(b),
  );
  return groups.map((name) => {
    const mine = machines.filter((m) => processGroupOf(m) === name && !isCanary(m));
    // During bluegreen both colours run side by side: the target is one colour's worth.
    const green = colours ? mine.filter((m) => releaseVersionOf(m) === colours.green).length : 0;
    const target = colours ? Math.max(green, mine.length - green) : mine.length;
    const services = mine.map((m) => configOf(m).services ?? []).find((s) => s.length > 0) ?? [];
    const limits = services[0]?.concurrency;
    const public_ = services.some((s) => (s.ports ?? []).some((p) => p.port === 443 || p.port === 80));
    return {
      name,
      url: public_ ? `https://${app}.fly.dev` : null,
      target,
      concurrency: limits?.hard_limit ?? limits?.soft_limit ?? defaultSoftLimit,
    };
  });
}

function rolloutOf(
  rolling: FlyRelease,
  from: FlyRelease | null,
  containers: ContainerSummary[],
  functions: FunctionSummary[],
  colours: { blue: number[]; green: number } | null,
  kind: VersionSummary['kind'],
): RolloutSummary {
  const incoming = containers.filter((c) => c.version === rolling.version);
  const outgoing = containers.filter((c) => c.version !== rolling.version && c.state !== 'exited');
  const ready = incoming.filter((c) => c.state === 'ready').length;
  const target = functions.reduce((n, f) => n + f.target, 0);
  const strategy = strategyWord(rolling);
  let phase: RolloutSummary['phase'] = 'rolling';
  if (strategy === 'immediate') phase = 'recreating';
  else if (incoming.length === 0 || (colours && ready === 0)) phase = 'starting';
  else if (outgoing.length > 0 && outgoing.every((c) => c.state !== 'ready')) phase = 'draining';
  let message: string | null = null;
  if (colours) {
    const serving = outgoing.filter((c) => c.state === 'ready').length;
    const blue = colours.blue.map((v) => `v${v}`).join(',') || 'none';
    message = `${from ? `v${from.version} → ` : ''}v${rolling.version} bluegreen: blue ${blue} ${serving} serving · green v${colours.green} ${ready}/${target} healthy`;
  }
  const created = rolling.created_at ? Date.parse(rolling.created_at) : Number.NaN;
  return {
    from: from?.version ?? null,
    to: rolling.version,
    kind,
    strategy,
    phase,
    message,
    ready,
    target,
    startedAt: Number.isNaN(created) ? 0 : created,
  };
}

/** Why the newest release failed: a failing check's output, a failed machine, an unreachable host. */
function failureReason(release: FlyRelease, containers: ContainerSummary[]): string {
  const mine = containers.filter((c) => c.version === release.version && c.reason);
  const failing = mine.find((c) => c.state === 'failed') ?? mine[0];
  if (failing) return `machine ${failing.id}: ${failing.reason}`;
  return `flyctl marked release v${release.version} ${release.status}`;
}

export function toSnapshot(state: FlyState): Snapshot {
  const machines = state.machines.filter(isAppMachine);
  const newest = state.releases[0] ?? null;
  const active = activeRelease(state.releases);
  const rolling = newest && isRunning(newest) ? newest : null;
  const containers = machines
    .map((m) =>
      containerOf(m, {
        rollingTo: rolling?.version ?? null,
        inFlight: state.inputs?.inFlightByMachine ?? null,
      }),
    )
    .filter((c): c is ContainerSummary => c !== null)
    .sort((a, b) => a.function.localeCompare(b.function) || a.id.localeCompare(b.id));
  const colours = bluegreenColours(rolling, containers);
  const functions = functionsOf(
    state.app,
    machines.filter((m) => releaseVersionOf(m) !== null),
    colours,
  );
  const kind = rolling
    ? (state.history.find((h) => h.version === rolling.version)?.kind ?? 'deploy')
    : 'deploy';
  const inputs: InputSummary = state.inputs
    ? {
        ...notReported,
        inFlight: state.inputs.inFlight,
        donePerSecond: state.inputs.donePerSecond,
        failedPerSecond: state.inputs.failedPerSecond,
        p50: state.inputs.p50,
        p95: state.inputs.p95,
      }
    : notReported;
  return {
    platform: 'fly',
    app: state.app,
    appId: state.app,
    status: state.stopped ? 'stopped' : 'deployed',
    version: active?.version ?? null,
    strategy: colours
      ? `bluegreen (blue ${colours.blue.map((v) => `v${v}`).join(',') || 'none'} · green v${colours.green})`
      : strategyWord(rolling ?? active ?? undefined),
    rollout: rolling ? rolloutOf(rolling, active, containers, functions, colours, kind) : null,
    rollbackTarget: defaultRollbackTarget(state.releases),
    inputsNote: state.inputsNote,
    building: null,
    failed:
      newest && isFailed(newest)
        ? { version: newest.version, reason: failureReason(newest, containers) }
        : null,
    functions,
    containers,
    inputs,
    events: state.events,
    history: state.history,
    metrics: state.metrics,
    at: state.at,
  };
}
