// The watch screen under a steady app and a rolling rollout: its CPU while nothing is pressed
// (as a share of one core, next to a Node process that does nothing in the same kind of pty), and
// the bytes it writes to the terminal per second against a full redraw of the same frames (two
// watchers side by side on the same rollout, one with CUTOVER_RENDER=full).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchPlatform, BIN, ROOT } from './platform.ts';
import type { Metric } from './report.ts';
import { measure, quit, type ScreenProcess, type Slice, startScreen } from './screen-process.ts';
import { median, sleep } from './stats.ts';

/** The app's shape and the measuring windows. */
export interface WatchScreenOptions {
  containers: number;
  coldStartMs: number;
  /**
   * How long the screens run before the steady window. A screen draws about one frame a second,
   * so V8 takes a minute or more to compile what runs in every frame; until then the compiler's
   * threads add to the screen's CPU. A minute is "steady state" here; --quick is shorter.
   */
  warmupMs: number;
  /** The rolling window is split in this many slices; their values give the spread. */
  slices: number;
  /**
   * The steady window's slices: more of them, since a slice that catches the compiler or a
   * garbage collection reads two or three times the others, and the median should not be one.
   */
  steadySlices: number;
  sliceMs: number;
  columns: number;
  rows: number;
}

const APP = 'bench-watch';

export async function watchScreenBench(platform: BenchPlatform, o: WatchScreenOptions): Promise<Metric[]> {
  const knob = readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(ROOT, 'dist', f), 'utf8').includes('CUTOVER_RENDER'));
  const shape = {
    name: APP,
    containers: o.containers,
    concurrency: 8,
    maxSurge: 1,
    coldStartMs: o.coldStartMs,
  };
  await platform.ok(['deploy', platform.writeApp({ ...shape, revision: 1 })], { timeoutMs: 120_000 });

  const size = { columns: o.columns, rows: o.rows, shows: `${APP} · local` };
  const programs: ScreenProcess[] = [];
  let steady = new Map<string, Slice[]>();
  let rolling = new Map<string, Slice[]>();
  let rolloutOutlastedWindow = false;
  try {
    programs.push(await startScreen(platform, 'incremental', [BIN, 'watch', APP], size));
    if (knob)
      programs.push(
        await startScreen(platform, 'full', [BIN, 'watch', APP], {
          ...size,
          env: { CUTOVER_RENDER: 'full' },
        }),
      );
    // What this machine charges a Node process that does nothing but keep a timer, in a pty too.
    programs.push(
      await startScreen(
        platform,
        'node',
        ['-e', 'process.stdout.write("idle\\n"); setInterval(() => {}, 1000)'],
        {
          ...size,
          shows: 'idle',
        },
      ),
    );
    await sleep(o.warmupMs);
    steady = await measure(programs, o.steadySlices, o.sliceMs);

    await platform.ok(['deploy', platform.writeApp({ ...shape, revision: 2 }), '--detach']);
    await untilRolling(platform);
    rolling = await measure(programs, o.slices, o.sliceMs);
    // The window only measured a rollout if one was still going at its end.
    rolloutOutlastedWindow = (await platform.status(APP)).rollout !== null;
  } finally {
    for (const p of programs) await quit(p, p.label === 'node' ? '\x03' : 'q');
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  if (!rolloutOutlastedWindow) throw new Error('watch bench: the rollout ended before the window did');

  const of = (m: Map<string, Slice[]>, label: string, key: keyof Slice) =>
    (m.get(label) ?? []).map((s) => s[key]);
  const percent = (share: number) => share * 100;
  const incRolling = rolling.get('incremental')!;
  const byteRatios = knob
    ? of(rolling, 'incremental', 'bytesPerSecond').map(
        (b, i) => b / of(rolling, 'full', 'bytesPerSecond')[i]!,
      )
    : [];
  const missingKnob = 'CUTOVER_RENDER=full is not in dist/ (src/ui/terminal-screen.ts does not read it)';
  const steadyCpu = median(of(steady, 'incremental', 'cpu'));
  const nodeCpu = median(of(steady, 'node', 'cpu'));

  return [
    {
      id: 'watch.cpu.steady',
      metric: { name: 'watch CPU, steady app, no keys', value: percent(steadyCpu), unit: '% of a core' },
      baseline: { name: 'one core', value: 100, unit: '%' },
      ratio: steadyCpu,
      goal: { op: '<=', value: 0.005 },
      runs: of(steady, 'incremental', 'cpu'),
      detail: { ...o, steady: Object.fromEntries(steady), nodeDoingNothing: of(steady, 'node', 'cpu') },
    },
    {
      id: 'watch.cpu.node-floor',
      metric: {
        name: 'a Node process doing nothing (same pty)',
        value: percent(nodeCpu),
        unit: '% of a core',
      },
      baseline: null,
      ratio: null,
      goal: null,
      runs: of(steady, 'node', 'cpu').map(percent),
    },
    {
      id: 'watch.bytes.rolling',
      metric: {
        name: 'watch bytes/s while rolling (incremental)',
        value: median(of(rolling, 'incremental', 'bytesPerSecond')),
        unit: 'B/s',
      },
      baseline: knob
        ? { name: 'full redraw', value: median(of(rolling, 'full', 'bytesPerSecond')), unit: 'B/s' }
        : null,
      ratio: knob ? median(byteRatios) : null,
      goal: { op: '<=', value: 0.1 },
      runs: byteRatios,
      ...(knob ? {} : { missing: missingKnob }),
      detail: { rolling: Object.fromEntries(rolling) },
    },
    {
      id: 'watch.bytes.steady',
      metric: {
        name: 'watch bytes/s while steady (ages tick)',
        value: median(of(steady, 'incremental', 'bytesPerSecond')),
        unit: 'B/s',
      },
      baseline: knob
        ? { name: 'full redraw', value: median(of(steady, 'full', 'bytesPerSecond')), unit: 'B/s' }
        : null,
      ratio: knob
        ? median(of(steady, 'incremental', 'bytesPerSecond')) / median(of(steady, 'full', 'bytesPerSecond'))
        : null,
      goal: null,
      runs: of(steady, 'incremental', 'bytesPerSecond'),
    },
    {
      id: 'watch.cpu.rolling',
      metric: {
        name: 'watch CPU while rolling',
        value: percent(median(of(rolling, 'incremental', 'cpu'))),
        unit: '% of a core',
      },
      baseline: { name: 'steady', value: percent(steadyCpu), unit: '% of a core' },
      ratio: median(of(rolling, 'incremental', 'cpu')) / steadyCpu,
      goal: null,
      runs: incRolling.map((s) => s.cpu / steadyCpu),
    },
  ];
}

async function untilRolling(platform: BenchPlatform): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    if ((await platform.status(APP)).rollout !== null) return;
    await sleep(100);
  }
  throw new Error('watch bench: the rollout did not start');
}
