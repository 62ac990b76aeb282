// Time to the first frame of `cutover watch APP` in a pty (until its header is on the emulated
// screen) against how long `node -e 0` takes to start and exit in the same kind of pty: what
// the CLI adds on top of starting Node at all. Runs alternate; each side is the median.
import { spawnTerminal, type Terminal } from '../../test/helpers/terminal.ts';
import { type BenchPlatform, BIN } from './platform.ts';
import type { Metric } from './report.ts';
import { median, sleep } from './stats.ts';

const APP = 'bench-start';
const POLL_MS = 2;

export async function watchStartupBench(platform: BenchPlatform, o: { runs: number }): Promise<Metric[]> {
  const dir = platform.writeApp({ name: APP, containers: 1, concurrency: 8, maxSurge: 1, coldStartMs: 0 });
  await platform.ok(['deploy', dir], { timeoutMs: 60_000 });
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(platform.env)) if (value !== undefined) env[name] = value;

  const nodeMs: number[] = [];
  const watchMs: number[] = [];
  try {
    // One unmeasured run of each warms the page cache.
    await nodeStart(env, platform.root);
    await firstFrame(env, platform.root);
    for (let run = 0; run < o.runs; run++) {
      nodeMs.push(await nodeStart(env, platform.root));
      watchMs.push(await firstFrame(env, platform.root));
    }
  } finally {
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  const ratios = watchMs.map((w, i) => w / nodeMs[i]!);
  return [
    {
      id: 'watch.first-frame',
      metric: { name: 'watch: time to first frame', value: median(watchMs), unit: 'ms' },
      baseline: { name: 'node -e 0', value: median(nodeMs), unit: 'ms' },
      ratio: median(watchMs) / median(nodeMs),
      goal: { op: '<=', value: 3 },
      runs: ratios,
      detail: { watchMs, nodeMs },
    },
  ];
}

/** Spawning `node -e 0` in a pty until it has exited. */
async function nodeStart(env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  const terminal = spawnTerminal({ file: process.execPath, args: ['-e', '0'], env, cwd });
  try {
    await Promise.race([
      terminal.exited,
      sleep(10_000).then(() => Promise.reject(new Error('node -e 0 hung'))),
    ]);
    return performance.now() - started;
  } finally {
    terminal.dispose();
  }
}

/** Spawning `cutover watch APP` in a pty until its header is on the screen. */
async function firstFrame(env: Record<string, string>, cwd: string): Promise<number> {
  const started = performance.now();
  const terminal = spawnTerminal({ file: process.execPath, args: [BIN, 'watch', APP], env, cwd });
  try {
    const ms = await untilScreenHas(terminal, `${APP} · local`, started);
    terminal.write('q');
    await Promise.race([terminal.exited, sleep(5_000)]);
    return ms;
  } finally {
    terminal.dispose();
  }
}

async function untilScreenHas(terminal: Terminal, text: string, started: number): Promise<number> {
  const deadline = started + 15_000;
  while (performance.now() < deadline) {
    await terminal.flush();
    if (terminal.screen().includes(text)) return performance.now() - started;
    await sleep(POLL_MS);
  }
  throw new Error(
    `watch startup: ${JSON.stringify(text)} not on the screen after 15 s:\n${terminal.screen()}`,
  );
}
