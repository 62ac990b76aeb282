// The proxy against nginx (issue 12's goal). One nginx worker is the container; wrk, one thread,
// drives in interleaved rounds: straight to the container, through nginx as a reverse proxy (one
// worker, keep-alive upstream), through cutover's proxy, and through a bare Node proxy (the least
// a Node HTTP proxy does). Goal: cutover÷direct ≥ 0.5 × nginx÷direct. Beside it: the latency each
// proxy adds (p50, p99), the CPU each spends per request, and its memory with 10,000 idle
// connections open. Two Node servers that do no proxying at all (node:http, a raw socket) give
// the floor any Node data path stands on.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/local/runtime/free-port.ts';
import { idleConnectionCost } from './idle-connections.ts';
import { startNginx } from './nginx.ts';
import type { BenchPlatform } from './platform.ts';
import { cpuSeconds } from './proc.ts';
import type { Metric } from './report.ts';
import { median } from './stats.ts';
import { runWrk, type WrkResult } from './wrk.ts';

/** How long and how hard. */
export interface ProxyBenchOptions {
  rounds: number;
  durationMs: number;
  connections: number;
  idleConnections: number;
}

const APP = 'bench-proxy';
const PATHS = ['direct', 'nginx', 'cutover', 'bareNode', 'nodeHttpFloor', 'nodeRawFloor'] as const;
type Path = (typeof PATHS)[number];

/** One wrk run through one path, with the proxy's CPU time per request (µs). */
type Run = WrkResult & { proxyCpuMicros: number };

export async function proxyBench(platform: BenchPlatform, o: ProxyBenchOptions): Promise<Metric[]> {
  const dir = join(platform.root, APP);
  mkdirSync(dir, { recursive: true });
  const nginxDir = fileURLToPath(new URL('./nginx/', import.meta.url));
  for (const file of ['start.sh', 'container.conf']) copyFileSync(join(nginxDir, file), join(dir, file));
  writeFileSync(
    join(dir, 'cutover.toml'),
    [
      `app = "${APP}"`,
      '[[functions]]',
      'name = "web"',
      'command = "sh start.sh"',
      'containers = 1',
      // Far above wrk's connections: the engine never queues an input here.
      'concurrency = 10000',
      'ready = "port"',
      'min_ready = "0s"',
      '',
    ].join('\n'),
  );
  await platform.ok(['deploy', dir, '--json'], { timeoutMs: 60_000 });
  const proxyUrl = (await platform.status(APP)).functions[0]?.url;
  // The worker runs the proxies; the supervisor only holds their listening sockets (A1).
  const daemonPid = await platform.workerPid();
  if (!proxyUrl) throw new Error(`${APP} has no proxy url`);
  const containerPort = Number((await (await fetch(`${proxyUrl}/port`)).text()).trim());
  const nginx = await startNginx('reverse-proxy.conf', { PORT: await freePort(), UPSTREAM: containerPort });
  const bare = await startNodeScript('bare-proxy.ts', [String(containerPort)]);
  const httpFloor = await startNodeScript('node-floor.ts', ['http']);
  const rawFloor = await startNodeScript('node-floor.ts', ['raw']);
  const urls: Record<Path, string> = {
    direct: `http://127.0.0.1:${containerPort}/`,
    nginx: `http://127.0.0.1:${nginx.port}/`,
    cutover: `${proxyUrl}/`,
    bareNode: `http://127.0.0.1:${bare.port}/`,
    nodeHttpFloor: `http://127.0.0.1:${httpFloor.port}/`,
    nodeRawFloor: `http://127.0.0.1:${rawFloor.port}/`,
  };
  const proxyPid: Record<Path, number | null> = {
    direct: null,
    nginx: nginx.workerPid,
    cutover: daemonPid,
    bareNode: bare.pid,
    nodeHttpFloor: httpFloor.pid,
    nodeRawFloor: rawFloor.pid,
  };

  const runs = Object.fromEntries(PATHS.map((path) => [path, [] as Run[]])) as Record<Path, Run[]>;
  let idle: Record<'cutover' | 'nginx', { beforeBytes: number; whileOpenBytes: number; opened: number }>;
  try {
    await runWrk(urls.cutover, { connections: o.connections, durationMs: 1_000 }); // warm-up (JIT, pools)
    for (let round = 0; round < o.rounds; round++) {
      // Each round starts with a different path, so none always gets the quieter moment.
      for (let i = 0; i < PATHS.length; i++) {
        const path = PATHS[(round + i) % PATHS.length]!;
        const pid = proxyPid[path];
        const cpu0 = pid === null ? 0 : cpuSeconds(pid);
        const result = await runWrk(urls[path], { connections: o.connections, durationMs: o.durationMs });
        const proxyCpuMicros = pid === null ? 0 : ((cpuSeconds(pid) - cpu0) * 1e6) / result.requests;
        runs[path].push({ ...result, proxyCpuMicros });
      }
    }
    idle = {
      cutover: await idleConnectionCost(Number(new URL(proxyUrl).port), daemonPid, o.idleConnections),
      nginx: await idleConnectionCost(nginx.port, nginx.workerPid, o.idleConnections),
    };
  } finally {
    nginx.stop();
    for (const child of [bare, httpFloor, rawFloor]) child.stop();
    await platform.cli(['stop', APP, '--yes'], { timeoutMs: 30_000 });
  }
  for (const path of PATHS) {
    for (const r of runs[path]) {
      if (r.errors > 0 || r.requests === 0)
        throw new Error(`proxy bench (${path}): ${r.errors} errors of ${r.requests}`);
    }
  }

  const perSecond = (path: Path) => median(runs[path].map((r) => r.perSecond));
  const ratioRuns = (path: Path) => runs[path].map((r, i) => r.perSecond / runs.direct[i]!.perSecond);
  const added = (path: Path, key: 'p50Ms' | 'p99Ms') =>
    median(runs[path].map((r, i) => r[key] - runs.direct[i]![key]));
  const cpu = (path: Path) => median(runs[path].map((r) => r.proxyCpuMicros));
  const cutoverRatio = median(ratioRuns('cutover'));
  const nginxRatio = median(ratioRuns('nginx'));
  const mib = (bytes: number) => bytes / 1024 / 1024;
  const growth = (x: { beforeBytes: number; whileOpenBytes: number }) =>
    mib(x.whileOpenBytes - x.beforeBytes);
  const detail = { connections: o.connections, durationMs: o.durationMs, runs };
  return [
    {
      id: 'proxy.vs-nginx',
      metric: { name: 'proxy throughput ÷ direct (cutover)', value: cutoverRatio, unit: '×' },
      baseline: { name: 'nginx ÷ direct', value: nginxRatio, unit: '×' },
      ratio: cutoverRatio / nginxRatio,
      goal: { op: '>=', value: 0.5 },
      runs: runs.cutover.map((r, i) => r.perSecond / runs.nginx[i]!.perSecond),
      detail,
    },
    {
      id: 'proxy.throughput',
      metric: { name: 'cutover proxy throughput', value: perSecond('cutover'), unit: 'req/s' },
      baseline: { name: 'direct', value: perSecond('direct'), unit: 'req/s' },
      ratio: cutoverRatio,
      goal: null,
      runs: ratioRuns('cutover'),
    },
    {
      id: 'proxy.nginx-reference',
      metric: { name: 'nginx reverse proxy throughput', value: perSecond('nginx'), unit: 'req/s' },
      baseline: { name: 'direct', value: perSecond('direct'), unit: 'req/s' },
      ratio: nginxRatio,
      goal: null,
      runs: ratioRuns('nginx'),
    },
    {
      id: 'proxy.bare-node-reference',
      metric: { name: 'bare Node proxy throughput', value: perSecond('bareNode'), unit: 'req/s' },
      baseline: { name: 'direct', value: perSecond('direct'), unit: 'req/s' },
      ratio: median(ratioRuns('bareNode')),
      goal: null,
      runs: ratioRuns('bareNode'),
    },
    {
      id: 'proxy.p50-added',
      metric: { name: 'p50 latency added by cutover', value: added('cutover', 'p50Ms'), unit: 'ms' },
      baseline: { name: 'by nginx', value: added('nginx', 'p50Ms'), unit: 'ms' },
      ratio: added('cutover', 'p50Ms') / added('nginx', 'p50Ms'),
      goal: null,
      runs: runs.cutover.map((r, i) => r.p50Ms - runs.direct[i]!.p50Ms),
    },
    {
      id: 'proxy.p99-added',
      metric: { name: 'p99 latency added by cutover', value: added('cutover', 'p99Ms'), unit: 'ms' },
      baseline: { name: 'by nginx', value: added('nginx', 'p99Ms'), unit: 'ms' },
      ratio: added('cutover', 'p99Ms') / added('nginx', 'p99Ms'),
      goal: null,
      runs: runs.cutover.map((r, i) => r.p99Ms - runs.direct[i]!.p99Ms),
    },
    {
      id: 'proxy.cpu-per-request',
      metric: { name: 'daemon CPU per proxied request', value: cpu('cutover'), unit: 'µs' },
      baseline: { name: 'nginx worker', value: cpu('nginx'), unit: 'µs' },
      ratio: cpu('cutover') / cpu('nginx'),
      goal: null,
      runs: runs.cutover.map((r) => r.proxyCpuMicros),
      detail: { bareNode: cpu('bareNode') },
    },
    {
      // What any Node data path pays: node:http's server half alone, and a bare socket's.
      id: 'proxy.node-floor-cpu',
      metric: { name: 'node:http server alone, CPU per request', value: cpu('nodeHttpFloor'), unit: 'µs' },
      baseline: { name: 'nginx reverse proxy', value: cpu('nginx'), unit: 'µs' },
      ratio: cpu('nodeHttpFloor') / cpu('nginx'),
      goal: null,
      runs: runs.nodeHttpFloor.map((r) => r.proxyCpuMicros),
      detail: { rawSocketServer: cpu('nodeRawFloor') },
    },
    {
      id: 'proxy.node-raw-floor-cpu',
      metric: { name: 'raw socket server alone, CPU per request', value: cpu('nodeRawFloor'), unit: 'µs' },
      baseline: { name: 'nginx reverse proxy', value: cpu('nginx'), unit: 'µs' },
      ratio: cpu('nodeRawFloor') / cpu('nginx'),
      goal: null,
      runs: runs.nodeRawFloor.map((r) => r.proxyCpuMicros),
    },
    {
      id: 'proxy.idle-connections-memory',
      metric: {
        name: `daemon memory growth, ${idle.cutover.opened} idle connections`,
        value: growth(idle.cutover),
        unit: 'MiB',
      },
      baseline: { name: 'nginx worker', value: growth(idle.nginx), unit: 'MiB' },
      ratio: growth(idle.cutover) / growth(idle.nginx),
      goal: null,
      runs: [],
      detail: { ...idle, daemonResidentMiB: mib(idle.cutover.whileOpenBytes) },
    },
  ];
}

/** Starts a script of scripts/bench that prints its port; resolves once it listens. */
function startNodeScript(
  name: string,
  args: string[],
): Promise<{ port: number; pid: number; stop: () => void }> {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stop = () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${name} did not start`));
    }, 15_000);
    child.stdout.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve({ port: Number(chunk.toString('utf8').trim()), pid: child.pid!, stop });
    });
    child.on('error', reject);
  });
}
