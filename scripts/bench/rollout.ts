// Rolling rollout duration against the floor its cold start and surge allow. An app of N
// containers with cold start C and max_surge S is deployed, then new versions of it, each timed
// from `cutover deploy` (without --detach) printing `vK created` (the image is snapshotted and
// built by then: that part is timed separately) to it printing `… vK active`.
import { DaemonClient } from '../../src/local/daemon/client.ts';
import { statePaths } from '../../src/local/paths.ts';
import { type BenchPlatform, BIN, type CliResult } from './platform.ts';
import type { Metric } from './report.ts';
import { median } from './stats.ts';

/** The app's shape and how many rollouts to time. */
export interface RolloutBenchOptions {
  runs: number;
  containers: number;
  coldStartMs: number;
  maxSurge: number;
}

const APP = 'bench-rollout';

/** One timed rollout, in ms. */
interface RolloutRun {
  version: number;
  /** Spawning `cutover deploy` until it printed `vK created`: CLI start, snapshot, build. */
  snapshotMs: number;
  /** `vK created` until `vK active`, as the person running deploy sees it. */
  rolloutMs: number;
  /** The engine's own clock: the version's creation until its rollout-done event. */
  engineMs: number;
  /**
   * Per new container, start to ready minus the cold start: spawning its process and noticing
   * it listens (the readiness probe). ceil(N/S) of these, one per wave, are the gap to the floor.
   */
  startOverheadMs: number[];
}

export async function rolloutBench(platform: BenchPlatform, o: RolloutBenchOptions): Promise<Metric[]> {
  const shape = { name: APP, containers: o.containers, concurrency: 8, maxSurge: o.maxSurge };
  // The floor: with zero inputs in flight every drain is immediate, and old containers keep
  // serving until new ones are ready (S1), so at most S new containers start at a time. The N
  // new containers therefore come up in ceil(N/S) waves one after another, and no wave can be
  // shorter than the cold start C: nothing can make the rollout shorter than ceil(N/S) × C.
  const floorMs = Math.ceil(o.containers / o.maxSurge) * o.coldStartMs;

  const first = platform.writeApp({ ...shape, coldStartMs: o.coldStartMs, revision: 1 });
  await platform.ok(['deploy', first], { timeoutMs: 120_000 });
  const client = await DaemonClient.connect(statePaths(platform.home), {
    start: false,
    entry: BIN,
    env: platform.env,
  });
  const runs: RolloutRun[] = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      const dir = platform.writeApp({ ...shape, coldStartMs: o.coldStartMs, revision: run + 2 });
      const result = await platform.ok(['deploy', dir], { timeoutMs: 120_000 });
      runs.push(await timed(client, result, o.coldStartMs));
    }
  } finally {
    client.close();
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }

  const ratios = runs.map((r) => r.rolloutMs / floorMs);
  const engineRatios = runs.map((r) => r.engineMs / floorMs);
  const floor = {
    name: `ceil(${o.containers}/${o.maxSurge})×${o.coldStartMs}ms`,
    value: floorMs,
    unit: 'ms',
  };
  return [
    {
      id: 'rollout.duration',
      metric: {
        name: 'rolling rollout (deploy → active)',
        value: median(runs.map((r) => r.rolloutMs)),
        unit: 'ms',
      },
      baseline: floor,
      ratio: median(ratios),
      goal: { op: '<=', value: 1.2 },
      runs: ratios,
      detail: { ...o, floorMs, runs },
    },
    {
      // The same rollout on the daemon's clock: what is left once the 250 ms publish interval
      // that tells the CLI is taken out.
      id: 'rollout.engine',
      metric: {
        name: 'rolling rollout (engine clock)',
        value: median(runs.map((r) => r.engineMs)),
        unit: 'ms',
      },
      baseline: floor,
      ratio: median(engineRatios),
      goal: null,
      runs: engineRatios,
    },
    {
      id: 'rollout.start-overhead',
      metric: {
        name: 'container start → ready, minus cold start',
        value: median(runs.flatMap((r) => r.startOverheadMs)),
        unit: 'ms',
      },
      baseline: null,
      ratio: null,
      goal: null,
      runs: runs.flatMap((r) => r.startOverheadMs),
    },
    {
      id: 'rollout.snapshot',
      metric: {
        name: 'deploy until `created` (snapshot, build)',
        value: median(runs.map((r) => r.snapshotMs)),
        unit: 'ms',
      },
      baseline: null,
      ratio: null,
      goal: null,
      runs: runs.map((r) => r.snapshotMs),
    },
  ];
}

/** Reads one deploy's timings from its output and the daemon's record of it. */
async function timed(client: DaemonClient, result: CliResult, coldStartMs: number): Promise<RolloutRun> {
  const created = result.lines.find((l) => /^v\d+ created/.test(l.text));
  const active = result.lines.find((l) => / v\d+ active$/.test(l.text));
  if (!created || !active) throw new Error(`rollout bench: unexpected deploy output:\n${result.stdout}`);
  const version = Number(/^v(\d+)/.exec(created.text)![1]);
  const snapshot = await client.request('snapshot', { app: APP });
  const createdAt = snapshot.history.find((h) => h.version === version)?.createdAt;
  const doneAt = snapshot.events.find((e) => e.kind === 'rollout-done' && e.version === version)?.at;
  if (createdAt === undefined || doneAt === undefined)
    throw new Error(`rollout bench: v${version} has no creation or rollout-done record`);
  const readyAt = new Map(
    snapshot.events.filter((e) => e.kind === 'container-ready').map((e) => [e.container, e.at]),
  );
  const startOverheadMs = snapshot.containers
    .filter((c) => c.version === version && c.startedAt !== null && readyAt.has(c.id))
    .map((c) => readyAt.get(c.id)! - c.startedAt! - coldStartMs);
  return {
    version,
    snapshotMs: created.at - result.startedAt,
    rolloutMs: active.at - created.at,
    engineMs: doneAt - createdAt,
    startOverheadMs,
  };
}
