// The overview of every app (`cutover` on a terminal) with 50 apps on the local platform, against
// the single-app screen (`cutover watch APP`) in the same run: the time to a first frame that
// lists every app, and the CPU each uses while nothing changes. A daemon and state directory of
// its own hold the 50 apps (one container each), stopped and removed at the end.
import { join } from 'node:path';
import { BenchPlatform, BIN } from './platform.ts';
import type { Metric } from './report.ts';
import { measure, quit, type ScreenProcess, startScreen } from './screen-process.ts';
import { median, sleep } from './stats.ts';

export interface OverviewBenchOptions {
  apps: number;
  /** First frames measured, each side, alternating. */
  runs: number;
  warmupMs: number;
  slices: number;
  sliceMs: number;
  columns: number;
  rows: number;
}

const name = (i: number) => `ov-${String(i).padStart(2, '0')}`;

export async function overviewBench(o: OverviewBenchOptions): Promise<Metric[]> {
  const platform = new BenchPlatform();
  // Only the local platform: no targets of whoever runs the benchmark.
  platform.env.XDG_CONFIG_HOME = join(platform.root, 'config');
  try {
    await deployAll(platform, o.apps);
    const size = { columns: o.columns, rows: o.rows };
    const watch = () =>
      startScreen(platform, 'watch', [BIN, 'watch', name(0)], { ...size, shows: `${name(0)} · local` });
    const overview = () =>
      startScreen(platform, 'overview', [BIN], {
        ...size,
        shows: `${o.apps} apps on 1 target`,
        timeoutMs: 60_000,
      });

    const firstFrames = { watch: [] as number[], overview: [] as number[] };
    for (let run = 0; run < o.runs; run++) {
      for (const [label, start] of [
        ['watch', watch],
        ['overview', overview],
      ] as const) {
        const screen = await start();
        firstFrames[label].push(screen.firstFrameMs);
        await quit(screen);
      }
    }

    const screens: ScreenProcess[] = [];
    let steady = new Map<string, { cpu: number }[]>();
    try {
      screens.push(await watch(), await overview());
      await sleep(o.warmupMs);
      steady = await measure(screens, o.slices, o.sliceMs);
    } finally {
      for (const s of screens) await quit(s);
    }
    const cpu = (label: string) => median((steady.get(label) ?? []).map((s) => s.cpu));
    const frameRatios = firstFrames.overview.map((ms, i) => ms / firstFrames.watch[i]!);
    const cpuRatios = (steady.get('overview') ?? []).map((s, i) => s.cpu / steady.get('watch')![i]!.cpu);
    return [
      {
        id: 'overview.first-frame',
        metric: {
          name: `overview of ${o.apps} apps: first frame listing them`,
          value: median(firstFrames.overview),
          unit: 'ms',
        },
        baseline: { name: 'watch of one app', value: median(firstFrames.watch), unit: 'ms' },
        ratio: median(frameRatios),
        goal: null,
        runs: frameRatios,
        detail: { ...o, firstFrames },
      },
      {
        id: 'overview.cpu',
        metric: {
          name: `overview of ${o.apps} apps: CPU, nothing changing`,
          value: cpu('overview') * 100,
          unit: '% of a core',
        },
        baseline: { name: 'watch of one app', value: cpu('watch') * 100, unit: '% of a core' },
        ratio: cpu('overview') / cpu('watch'),
        goal: null,
        runs: cpuRatios,
        detail: { steady: Object.fromEntries(steady) },
      },
    ];
  } finally {
    await platform.close();
  }
}

/** Deploys `count` one-container apps, a few at a time, and waits until every one is deployed. */
async function deployAll(platform: BenchPlatform, count: number): Promise<void> {
  const shape = { containers: 1, concurrency: 8, maxSurge: 1, coldStartMs: 0 };
  const dirs = Array.from({ length: count }, (_, i) => platform.writeApp({ ...shape, name: name(i) }));
  const queue = [...dirs];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let dir = queue.shift(); dir !== undefined; dir = queue.shift())
        await platform.ok(['deploy', dir], { timeoutMs: 120_000 });
    }),
  );
  const listed = JSON.parse((await platform.ok(['apps', '--json'])).stdout) as { status: string }[];
  const deployed = listed.filter((a) => a.status === 'deployed').length;
  if (deployed !== count) throw new Error(`overview bench: ${deployed} of ${count} apps deployed`);
}
