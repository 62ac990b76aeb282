// The watch screen under a steady app and a rolling rollout: bytes written to the terminal per
// second (Ink's incremental rendering against full redraws, two watchers side by side on the
// same rollout) and the watch process's CPU seconds per minute (utime + stime from /proc).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTerminal, type Terminal } from '../../test/helpers/terminal.ts';
import { type BenchPlatform, BIN, ROOT } from './platform.ts';
import { childrenOf, cpuSeconds } from './proc.ts';
import type { Metric } from './report.ts';
import { median, sleep } from './stats.ts';

/** The app's shape and the measuring windows. */
export interface WatchScreenOptions {
  containers: number;
  coldStartMs: number;
  /** Each window is split in this many slices; their values give the spread. */
  slices: number;
  sliceMs: number;
  columns: number;
  rows: number;
}

const APP = 'bench-watch';

/** A watch screen in a pty, with its process id for /proc. */
interface Watcher {
  label: 'incremental' | 'full';
  terminal: Terminal;
  pid: number;
}

/** What one slice of a window measured for one watcher. */
interface Slice {
  bytesPerSecond: number;
  cpuSecondsPerMinute: number;
}

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

  const watchers: Watcher[] = [];
  const idle = new Map<string, Slice[]>();
  const rolling = new Map<string, Slice[]>();
  let rolloutOutlastedWindow = false;
  try {
    watchers.push(await startWatcher(platform, 'incremental', o));
    if (knob) watchers.push(await startWatcher(platform, 'full', o));
    await sleep(3_000); // past the first frames, the first snapshot burst and the JIT's warm-up

    for (const [label, slices] of await measure(watchers, o)) idle.set(label, slices);

    await platform.ok(['deploy', platform.writeApp({ ...shape, revision: 2 }), '--detach']);
    await untilRolling(platform);
    for (const [label, slices] of await measure(watchers, o)) rolling.set(label, slices);
    // The window only measured a rollout if one was still going at its end.
    rolloutOutlastedWindow = (await platform.status(APP)).rollout !== null;
  } finally {
    for (const w of watchers) await quit(w);
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  if (!rolloutOutlastedWindow) throw new Error('watch bench: the rollout ended before the window did');

  const bytes = (slices: Slice[] | undefined) => median((slices ?? []).map((s) => s.bytesPerSecond));
  const cpu = (slices: Slice[] | undefined) => median((slices ?? []).map((s) => s.cpuSecondsPerMinute));
  const inc = { idle: idle.get('incremental')!, rolling: rolling.get('incremental')! };
  const full = { idle: idle.get('full'), rolling: rolling.get('full') };
  const perSlice = (a: Slice[], b: Slice[], key: keyof Slice) => a.map((s, i) => s[key] / b[i]![key]);
  const detail = { ...o, knob, incremental: inc, full };
  const missingKnob = 'CUTOVER_RENDER=full is not in dist/ (src/ui/watch.ts does not read it)';

  return [
    {
      id: 'watch.bytes.rolling',
      metric: { name: 'watch bytes/s while rolling (incremental)', value: bytes(inc.rolling), unit: 'B/s' },
      baseline: knob ? { name: 'full redraw', value: bytes(full.rolling), unit: 'B/s' } : null,
      ratio: knob ? median(perSlice(inc.rolling, full.rolling!, 'bytesPerSecond')) : null,
      goal: null,
      runs: knob ? perSlice(inc.rolling, full.rolling!, 'bytesPerSecond') : [],
      ...(knob ? {} : { missing: missingKnob }),
      detail,
    },
    {
      id: 'watch.bytes.idle',
      metric: { name: 'watch bytes/s while steady (incremental)', value: bytes(inc.idle), unit: 'B/s' },
      baseline: knob ? { name: 'full redraw', value: bytes(full.idle), unit: 'B/s' } : null,
      ratio: knob ? bytes(inc.idle) / bytes(full.idle) : null,
      goal: null,
      runs: inc.idle.map((s) => s.bytesPerSecond),
      ...(knob ? {} : { missing: missingKnob }),
    },
    {
      id: 'watch.cpu.idle',
      metric: { name: 'watch CPU while steady', value: cpu(inc.idle), unit: 'CPU-s/min' },
      baseline: null,
      ratio: null,
      goal: null,
      runs: inc.idle.map((s) => s.cpuSecondsPerMinute),
    },
    {
      id: 'watch.cpu.rolling',
      metric: { name: 'watch CPU while rolling', value: cpu(inc.rolling), unit: 'CPU-s/min' },
      baseline: { name: 'steady', value: cpu(inc.idle), unit: 'CPU-s/min' },
      ratio: cpu(inc.rolling) / cpu(inc.idle),
      goal: null,
      runs: inc.rolling.map((s) => s.cpuSecondsPerMinute),
    },
    ...(knob
      ? [
          {
            id: 'watch.cpu.rolling.full',
            metric: {
              name: 'watch CPU while rolling (full redraw)',
              value: cpu(full.rolling),
              unit: 'CPU-s/min',
            },
            baseline: { name: 'steady, full', value: cpu(full.idle), unit: 'CPU-s/min' },
            ratio: cpu(full.rolling) / cpu(full.idle),
            goal: null,
            runs: full.rolling!.map((s) => s.cpuSecondsPerMinute),
          } satisfies Metric,
        ]
      : []),
  ];
}

/** `cutover watch APP` in a pty, once its first frame is on the screen. */
async function startWatcher(
  platform: BenchPlatform,
  label: Watcher['label'],
  o: WatchScreenOptions,
): Promise<Watcher> {
  const before = new Set(childrenOf(process.pid));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(platform.env)) if (value !== undefined) env[name] = value;
  if (label === 'full') env.CUTOVER_RENDER = 'full';
  const terminal = spawnTerminal({
    file: process.execPath,
    args: [BIN, 'watch', APP],
    cols: o.columns,
    rows: o.rows,
    env,
    cwd: platform.root,
  });
  try {
    await terminal.waitFor(`${APP} · local`, { timeoutMs: 15_000 });
    const pid = childrenOf(process.pid).find((p) => !before.has(p) && isWatch(p));
    if (pid === undefined) throw new Error('watch bench: cannot find the watch process');
    return { label, terminal, pid };
  } catch (error) {
    terminal.dispose();
    throw error;
  }
}

function isWatch(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('watch');
  } catch {
    return false;
  }
}

/** Measures every watcher over `slices` consecutive slices of `sliceMs`. */
async function measure(watchers: Watcher[], o: WatchScreenOptions): Promise<Map<string, Slice[]>> {
  const result = new Map<string, Slice[]>(watchers.map((w) => [w.label, []]));
  const read = () =>
    watchers.map((w) => ({ bytes: Buffer.byteLength(w.terminal.output), cpu: cpuSeconds(w.pid) }));
  let last = read();
  let lastAt = performance.now();
  for (let slice = 0; slice < o.slices; slice++) {
    await sleep(o.sliceMs);
    const now = read();
    const at = performance.now();
    const seconds = (at - lastAt) / 1000;
    watchers.forEach((w, i) => {
      result.get(w.label)!.push({
        bytesPerSecond: (now[i]!.bytes - last[i]!.bytes) / seconds,
        cpuSecondsPerMinute: ((now[i]!.cpu - last[i]!.cpu) / seconds) * 60,
      });
    });
    last = now;
    lastAt = at;
  }
  return result;
}

async function untilRolling(platform: BenchPlatform): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    if ((await platform.status(APP)).rollout !== null) return;
    await sleep(100);
  }
  throw new Error('watch bench: the rollout did not start');
}

/** Quits the screen with its own key; killed if it does not go within 5 s. */
async function quit(w: Watcher): Promise<void> {
  w.terminal.write('q');
  await Promise.race([w.terminal.exited, sleep(5_000)]);
  w.terminal.dispose();
}
