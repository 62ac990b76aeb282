// A1: what a daemon restart costs. The daemon's worker is killed with SIGKILL while an app of two
// containers runs; new connections, one every 5 ms, wait in the supervisor's listening socket.
// Timed: the kill until the first of them is answered by the app. The budget is A1's second.
import { request } from 'node:http';
import type { BenchPlatform } from './platform.ts';
import type { Metric } from './report.ts';
import { median } from './stats.ts';

export interface RestartBenchOptions {
  runs: number;
}

const APP = 'bench-restart';
const BUDGET_MS = 1_000;

function answered(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The kill until a new connection is answered, in ms. */
async function oneRestart(
  platform: BenchPlatform,
  url: string,
): Promise<{ recoveryMs: number; failed: number }> {
  const { pid } = JSON.parse((await platform.ok(['daemon', 'status', '--json'])).stdout) as { pid: number };
  const killedAt = performance.now();
  process.kill(pid, 'SIGKILL');
  let first = Number.POSITIVE_INFINITY;
  let failed = 0;
  const probes: Promise<void>[] = [];
  while (performance.now() - killedAt < 10_000 && first === Number.POSITIVE_INFINITY) {
    probes.push(
      answered(url).then((ok) => {
        if (ok) first = Math.min(first, performance.now());
        else failed++;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(probes);
  return { recoveryMs: first - killedAt, failed };
}

export async function restartBench(platform: BenchPlatform, o: RestartBenchOptions): Promise<Metric[]> {
  const dir = platform.writeApp({ name: APP, containers: 2, concurrency: 8, maxSurge: 1, coldStartMs: 0 });
  await platform.ok(['deploy', dir], { timeoutMs: 120_000 });
  const url = (await platform.status(APP)).functions[0]!.url!;
  const runs: Array<{ recoveryMs: number; failed: number }> = [];
  try {
    for (let run = 0; run < o.runs; run++) {
      runs.push(await oneRestart(platform, url));
      await new Promise((r) => setTimeout(r, 1_000)); // the new worker settles
    }
  } finally {
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  const recovery = runs.map((r) => r.recoveryMs);
  return [
    {
      id: 'restart.recovery',
      metric: { name: 'daemon kill -9 → new connection answered', value: median(recovery), unit: 'ms' },
      baseline: { name: "A1's budget", value: BUDGET_MS, unit: 'ms' },
      ratio: median(recovery) / BUDGET_MS,
      goal: { op: '<=', value: 1 },
      runs: recovery.map((ms) => ms / BUDGET_MS),
      detail: { recoveryMs: recovery, failedProbes: runs.map((r) => r.failed) },
    },
  ];
}
