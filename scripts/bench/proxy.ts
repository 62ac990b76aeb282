// Proxy throughput: requests/s through cutover's proxy to an app with one container, against
// requests/s straight to that same container: the same client, concurrency, request and
// duration, taken in alternating rounds so drifting machine load hits both alike. A bare Node
// proxy (bare-proxy.ts) in front of the same container is measured too, as a reference.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type LoadResult, runLoad } from './load.ts';
import type { BenchPlatform } from './platform.ts';
import { cpuSeconds } from './proc.ts';
import type { Metric } from './report.ts';
import { median } from './stats.ts';

/** How long and how hard. */
export interface ProxyBenchOptions {
  rounds: number;
  durationMs: number;
  warmupMs: number;
  concurrency: number;
}

const APP = 'bench-proxy';

/** One load run, with each process's CPU time per request (µs). */
type Run = LoadResult & { cpuByProcess: Record<string, number> };

export async function proxyBench(platform: BenchPlatform, o: ProxyBenchOptions): Promise<Metric[]> {
  // The container's concurrency is far above the client's, so the engine never queues an input.
  const dir = platform.writeApp({
    name: APP,
    containers: 1,
    concurrency: o.concurrency * 8,
    maxSurge: 1,
    coldStartMs: 0,
  });
  await platform.ok(['deploy', dir, '--json'], { timeoutMs: 60_000 });
  const status = await platform.status(APP);
  const proxyUrl = status.functions[0]?.url;
  if (!proxyUrl) throw new Error(`${APP} has no proxy url`);
  const ask = async (path: string) => Number((await (await fetch(`${proxyUrl}${path}`)).text()).trim());
  const containerPort = await ask('/port');
  const containerPid = await ask('/pid');
  const daemonPid = platform.daemonPid();
  if (!(containerPort > 0) || !(containerPid > 0) || daemonPid === null)
    throw new Error('no container or daemon');
  const directUrl = `http://127.0.0.1:${containerPort}/`;
  const bare = await startBareProxy(containerPort);
  const pids = { daemon: daemonPid, container: containerPid, bareProxy: bare.pid };

  // Each process's CPU per request besides the throughput: on two shared cores the client, the
  // proxy and the container take turns on the same CPUs, so these costs set the ceiling.
  const load = async (url: string): Promise<Run> => {
    const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
    const result = await runLoad({
      url,
      concurrency: o.concurrency,
      durationMs: o.durationMs,
      warmupMs: o.warmupMs,
      maxRequests: 2_000_000,
    });
    const cpuByProcess: Record<string, number> = { client: result.cpuMicrosPerRequest };
    for (const [name, pid] of Object.entries(pids)) {
      const micros = ((cpuSeconds(pid) - before[name]!) * 1e6) / result.sent;
      if (micros > 1) cpuByProcess[name] = micros; // processes this run did not go through stay out
    }
    return { ...result, cpuByProcess };
  };
  const direct: Run[] = [];
  const proxied: Run[] = [];
  const bared: Run[] = [];
  try {
    for (let round = 0; round < o.rounds; round++) {
      // Alternate which goes first, so neither always gets the quieter moment.
      if (round % 2 === 0) {
        direct.push(await load(directUrl));
        proxied.push(await load(`${proxyUrl}/`));
      } else {
        proxied.push(await load(`${proxyUrl}/`));
        direct.push(await load(directUrl));
      }
      bared.push(await load(`http://127.0.0.1:${bare.port}/`));
    }
  } finally {
    bare.stop();
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  for (const r of [...direct, ...proxied, ...bared]) {
    if (r.errors > 0 || r.non2xx > 0 || r.requests === 0)
      throw new Error(`proxy bench: ${r.errors} errors, ${r.non2xx} non-2xx of ${r.requests}`);
  }

  const ratios = proxied.map((p, i) => p.perSecond / direct[i]!.perSecond);
  const bareRatios = bared.map((b, i) => b.perSecond / direct[i]!.perSecond);
  const med = (rs: Run[], key: 'perSecond' | 'p50Ms' | 'p99Ms') => median(rs.map((r) => r[key]));
  const cpuOf = (rs: Run[], name: string) => median(rs.map((r) => r.cpuByProcess[name] ?? Number.NaN));
  const detail = {
    concurrency: o.concurrency,
    durationMs: o.durationMs,
    direct,
    proxied,
    bareNodeProxy: bared,
  };
  return [
    {
      id: 'proxy.throughput',
      metric: { name: 'proxy throughput', value: med(proxied, 'perSecond'), unit: 'req/s' },
      baseline: { name: 'direct', value: med(direct, 'perSecond'), unit: 'req/s' },
      ratio: median(ratios),
      goal: { op: '>=', value: 0.8 },
      runs: ratios,
      detail,
    },
    {
      id: 'proxy.p50',
      metric: { name: 'proxy p50 latency', value: med(proxied, 'p50Ms'), unit: 'ms' },
      baseline: { name: 'direct', value: med(direct, 'p50Ms'), unit: 'ms' },
      ratio: median(proxied.map((p, i) => p.p50Ms / direct[i]!.p50Ms)),
      goal: null,
      runs: proxied.map((p, i) => p.p50Ms / direct[i]!.p50Ms),
    },
    {
      id: 'proxy.p99',
      metric: { name: 'proxy p99 latency', value: med(proxied, 'p99Ms'), unit: 'ms' },
      baseline: { name: 'direct', value: med(direct, 'p99Ms'), unit: 'ms' },
      ratio: median(proxied.map((p, i) => p.p99Ms / direct[i]!.p99Ms)),
      goal: null,
      runs: proxied.map((p, i) => p.p99Ms / direct[i]!.p99Ms),
    },
    {
      // How much CPU the proxy spends per request against the container behind it.
      id: 'proxy.cpu-per-request',
      metric: { name: 'proxy (daemon) CPU per request', value: cpuOf(proxied, 'daemon'), unit: 'µs' },
      baseline: { name: 'container', value: cpuOf(proxied, 'container'), unit: 'µs' },
      ratio: cpuOf(proxied, 'daemon') / cpuOf(proxied, 'container'),
      goal: null,
      runs: proxied.map((r) => r.cpuByProcess.daemon! / r.cpuByProcess.container!),
      detail: {
        direct: { client: cpuOf(direct, 'client'), container: cpuOf(direct, 'container') },
        proxied: {
          client: cpuOf(proxied, 'client'),
          daemon: cpuOf(proxied, 'daemon'),
          container: cpuOf(proxied, 'container'),
        },
        bareNodeProxy: {
          client: cpuOf(bared, 'client'),
          bareProxy: cpuOf(bared, 'bareProxy'),
          container: cpuOf(bared, 'container'),
        },
      },
    },
    {
      // The ceiling any Node http proxy has here: what is left to win inside cutover's proxy.
      id: 'proxy.bare-node-reference',
      metric: { name: 'bare Node proxy (reference)', value: med(bared, 'perSecond'), unit: 'req/s' },
      baseline: { name: 'direct', value: med(direct, 'perSecond'), unit: 'req/s' },
      ratio: median(bareRatios),
      goal: null,
      runs: bareRatios,
    },
  ];
}

/** Starts bare-proxy.ts in front of the container; resolves once it listens. */
function startBareProxy(upstreamPort: number): Promise<{ port: number; pid: number; stop: () => void }> {
  const file = fileURLToPath(new URL('./bare-proxy.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, String(upstreamPort)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error('bare proxy did not start'));
    }, 15_000);
    child.stdout.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve({ port: Number(chunk.toString('utf8').trim()), pid: child.pid!, stop });
    });
    child.on('error', reject);
  });
}
