// npm run bench [-- --only proxy,rollout,watch,overview,startup,kubernetes,restart] [--quick]: the benchmarks, each as a ratio
// against a baseline measured in the same run. Prints a table and writes bench-results/latest.json.
// Exits 0 whether or not goals are met (the numbers are the point); non-zero only when a
// benchmark could not run. Everything runs against a state directory and daemon of its own,
// stopped and removed at the end.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { engineBenchMetrics } from './bench/engine.ts';
import { kubernetesBench } from './bench/kubernetes.ts';
import { overviewBench } from './bench/overview.ts';
import { BenchPlatform, ROOT } from './bench/platform.ts';
import { proxyBench } from './bench/proxy.ts';
import { formatTable, type Metric, verdict, writeResults } from './bench/report.ts';
import { restartBench } from './bench/restart.ts';
import { rolloutBench } from './bench/rollout.ts';
import { watchScreenBench } from './bench/watch-screen.ts';
import { watchStartupBench } from './bench/watch-startup.ts';

const BENCHMARKS = [
  'engine',
  'proxy',
  'rollout',
  'watch',
  'overview',
  'startup',
  'kubernetes',
  'restart',
] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];
// A backstop: the run is meant to take about five minutes.
const HARD_LIMIT_MS = 9 * 60_000;

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const only = (values.only?.split(',') ?? [...BENCHMARKS]) as BenchmarkName[];
for (const name of only) {
  if (!BENCHMARKS.includes(name)) {
    process.stderr.write(
      `bench: unknown benchmark ${JSON.stringify(name)}; expected ${BENCHMARKS.join(', ')}\n`,
    );
    process.exit(2);
  }
}
const quick = values.quick;

const log = (text: string) => process.stderr.write(`bench: ${text}\n`);

// The benchmarks run the real bin/cutover.js, which loads the bundle: build it from src first.
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });

const platform = new BenchPlatform();
let cleaned = false;
const cleanup = async () => {
  if (cleaned) return;
  cleaned = true;
  await platform.close();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}
const backstop = setTimeout(() => {
  log(`still running after ${HARD_LIMIT_MS / 60_000} minutes; giving up`);
  void cleanup().finally(() => process.exit(3));
}, HARD_LIMIT_MS);

const jobs: Record<BenchmarkName, () => Promise<Metric[]>> = {
  engine: async () => engineBenchMetrics(quick ? 3 : 5),
  proxy: () =>
    proxyBench(platform, {
      rounds: quick ? 1 : 5,
      durationMs: quick ? 2_000 : 3_000,
      connections: 32,
      idleConnections: 10_000,
    }),
  rollout: () =>
    rolloutBench(platform, { runs: quick ? 1 : 3, containers: 4, coldStartMs: 1_000, maxSurge: 1 }),
  // Cold start 5 s × 4 containers keeps the rollout going past the 15 s window.
  watch: () =>
    watchScreenBench(platform, {
      containers: 4,
      coldStartMs: 5_000,
      warmupMs: quick ? 10_000 : 60_000,
      slices: 3,
      steadySlices: quick ? 3 : 7,
      sliceMs: quick ? 2_000 : 5_000,
      columns: 120,
      rows: 40,
    }),
  overview: () =>
    overviewBench({
      apps: 50,
      runs: quick ? 1 : 3,
      warmupMs: quick ? 5_000 : 10_000,
      slices: 3,
      sliceMs: quick ? 2_000 : 5_000,
      columns: 120,
      rows: 40,
    }),
  startup: () => watchStartupBench(platform, { runs: quick ? 3 : 7 }),
  kubernetes: () =>
    kubernetesBench({ rounds: quick ? 5 : 15, apps: 50, pods: 10, windowMs: quick ? 3_000 : 5_000 }),
  restart: () => restartBench(platform, { runs: quick ? 3 : 7 }),
};

const started = performance.now();
const metrics: Metric[] = [];
let failed = 0;
try {
  for (const name of only) {
    const t0 = performance.now();
    log(`${name}…`);
    try {
      metrics.push(...(await jobs[name]()));
      log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed++;
      log(`${name} could not run: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
} finally {
  await cleanup();
  clearTimeout(backstop);
}

const seconds = (performance.now() - started) / 1000;
process.stdout.write(`\n${formatTable(metrics)}\n\n`);
const file = writeResults(ROOT, metrics, seconds);
const notRun = metrics.filter((m) => verdict(m) === 'not run').length;
process.stdout.write(
  `${metrics.filter((m) => verdict(m) === 'pass').length} pass, ${metrics.filter((m) => verdict(m) === 'miss').length} miss` +
    `${failed + notRun > 0 ? `, ${failed} benchmark(s) failed, ${notRun} metric(s) not run` : ''}` +
    ` · ${seconds.toFixed(0)} s · ${file}\n`,
);
process.exit(failed + notRun > 0 ? 1 : 0);
