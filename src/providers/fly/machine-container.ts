// One Fly machine as a container of the engine's vocabulary (research §5): starting =
// created/starting, or started without all checks passing; ready = started with every check
// passing; draining = stopping, replacing or destroying, or an old machine that is cordoned;
// failed = a critical check outside a rollout (its output is the reason), the `failed` state, or
// an unreachable host. A freshly started machine reports no check results yet (flyctl
// internal/machine/leasable_machine.go WaitForHealthchecksToPass): starting, not ready. State words are the docs' (superfly/docs machines/machine-states.html.markerb).
import type { ContainerSummary } from '../../engine/snapshot.ts';
import type { ContainerState } from '../../engine/types.ts';
import {
  configOf,
  type FlyCheckStatus,
  type FlyMachine,
  processGroupOf,
  releaseVersionOf,
} from './fly-types.ts';

/** What the mapping needs to know beyond the machine itself. */
export interface MachineContext {
  /** The release rolling out now, or null: its machines in transition are starting, not draining. */
  rollingTo: number | null;
  /** In-flight requests per machine id, where the metrics API answered. */
  inFlight: Map<string, number> | null;
}

/** flaps still adds these for old flyctls; fly-go's RemoveCompatChecks drops them (machine_types.go). */
const isCompat = (check: FlyCheckStatus) => (check.name ?? '').startsWith('bg_deployments_compat');

/** The checks a machine reports, without the compatibility ones. */
export function checksOf(machine: FlyMachine): FlyCheckStatus[] {
  return (machine.checks ?? []).filter((c) => !isCompat(c));
}

/** How many checks the machine's config asks for (top-level and per service). */
export function configuredChecks(machine: FlyMachine): number {
  const config = configOf(machine);
  const services = (config.services ?? []).reduce((n, s) => n + (s.checks?.length ?? 0), 0);
  return Object.keys(config.checks ?? {}).length + services;
}

/** `check servicecheck-00-http-8080: 500 Internal Server Error`, first line of the output only. */
export function checkReason(check: FlyCheckStatus): string {
  const output = (check.output ?? '').trim().split('\n')[0] ?? '';
  return `check ${check.name ?? '?'} ${check.status ?? ''}${output ? `: ${output}` : ''}`.replace(/ +:/, ':');
}

/** The newest exit of a failed machine, in words (`exited with code 3`, `killed: out of memory`). */
function exitReason(machine: FlyMachine): string | null {
  const exit = (machine.events ?? []).find((e) => e.type === 'exit')?.request?.exit_event;
  if (!exit) return null;
  if (exit.oom_killed) return 'killed: out of memory';
  return exit.exit_code === undefined ? null : `exited with code ${exit.exit_code}`;
}

function restartsOf(machine: FlyMachine): number | null {
  if (!machine.events) return null;
  return machine.events.reduce((n, e) => Math.max(n, e.request?.restart_count ?? 0), 0);
}

function startedAtOf(machine: FlyMachine): number | null {
  const start = (machine.events ?? []).find((e) => e.type === 'start' && typeof e.timestamp === 'number');
  if (start?.timestamp !== undefined) return start.timestamp;
  const created = machine.created_at ? Date.parse(machine.created_at) : Number.NaN;
  return Number.isNaN(created) ? null : created;
}

/** The state and reason of one machine. */
export function machineState(
  machine: FlyMachine,
  version: number,
  rollingTo: number | null,
): { state: ContainerState; reason: string | null } {
  const incoming = rollingTo !== null && version === rollingTo;
  if (machine.host_status === 'unreachable') {
    return { state: 'failed', reason: "host unreachable: Fly cannot reach this machine's host" };
  }
  switch (machine.state) {
    case 'failed':
    case 'launch_failed':
      return { state: 'failed', reason: exitReason(machine) ?? `machine ${machine.state.replace('_', ' ')}` };
    case 'created':
    case 'creating':
    case 'starting':
    case 'restarting':
      return { state: 'starting', reason: null };
    case 'replacing':
    case 'updating':
      // An update in place: the machine already carries the new release's config.
      return incoming ? { state: 'starting', reason: null } : { state: 'draining', reason: machine.state };
    case 'stopping':
    case 'suspending':
    case 'destroying':
      return { state: 'draining', reason: machine.state };
    case 'stopped':
    case 'suspended':
      return { state: 'exited', reason: machine.state };
    case 'destroyed':
    case 'replaced':
    case 'migrated':
      return { state: 'exited', reason: machine.state };
  }
  // started (or a state this code does not know, read as running)
  if (machine.cordoned) {
    // Bluegreen's green machines stay cordoned until every one is healthy (strategy_bluegreen.go).
    return incoming
      ? { state: 'starting', reason: 'cordoned until the new machines are healthy' }
      : { state: 'draining', reason: 'cordoned: the proxy sends it no new requests' };
  }
  const checks = checksOf(machine);
  const critical = checks.find((c) => c.status === 'critical');
  // While its release rolls out flyctl is still waiting for the checks (--wait-timeout): not ready
  // yet. Outside a rollout, or once flyctl gave up on the release, a critical check is a failure.
  if (critical) return { state: incoming ? 'starting' : 'failed', reason: checkReason(critical) };
  const waiting = checks.find((c) => c.status !== 'passing');
  if (waiting) return { state: 'starting', reason: checkReason(waiting) };
  if (checks.length < configuredChecks(machine))
    return { state: 'starting', reason: 'waiting for its first checks' };
  return { state: 'ready', reason: null };
}

/** The container a machine is, or null for one that belongs to no release flyctl made. */
export function containerOf(machine: FlyMachine, context: MachineContext): ContainerSummary | null {
  const version = releaseVersionOf(machine);
  if (version === null) return null;
  const { state, reason } = machineState(machine, version, context.rollingTo);
  return {
    id: machine.id,
    function: processGroupOf(machine),
    version,
    state,
    inFlight: context.inFlight === null ? null : (context.inFlight.get(machine.id) ?? 0),
    startedAt: startedAtOf(machine),
    reason,
    restarts: restartsOf(machine),
    location: machine.region ?? null,
  };
}
