// The load generator: N concurrent keep-alive request loops against one URL, in a child process
// of its own so it never shares an event loop with the servers it measures. Every loop is
// bounded twice, by a request count and by time. `runLoad` starts it and reads its result.
//
// Run directly: node --import tsx scripts/bench/load.ts '<LoadOptions as JSON>'
// It prints one JSON line, a LoadResult.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

/** What to send, how hard and for how long. */
export interface LoadOptions {
  url: string;
  /** Concurrent request loops, each with a keep-alive connection of its own. */
  concurrency: number;
  /** Measured time; loops stop starting requests after it. */
  durationMs: number;
  /** Unmeasured time first, so connections and JITs are warm. */
  warmupMs: number;
  /** A hard cap on requests over the whole run, warm-up included. */
  maxRequests: number;
}

/** What one run measured (the warm-up excluded). */
export interface LoadResult {
  /** Requests answered inside the measured window. */
  requests: number;
  /** Requests sent over the whole run, warm-up included. */
  sent: number;
  errors: number;
  /** Answers with a status other than 2xx. */
  non2xx: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The load generator's own CPU time per request (user + system, warm-up included). */
  cpuMicrosPerRequest: number;
}

/** Runs the load generator in a child process and resolves to its result. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', self, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // The child bounds itself; this is the backstop should it hang.
    const limit = setTimeout(() => child.kill('SIGKILL'), options.warmupMs + options.durationMs + 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(limit);
      if (code !== 0) {
        reject(new Error(`load generator exited ${code}: ${stderr.trim()}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

/** The value at quantile q of sorted samples (nearest rank). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function generate(o: LoadOptions): Promise<LoadResult> {
  const target = new URL(o.url);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency, maxFreeSockets: o.concurrency });
  const latencies = new Float64Array(o.maxRequests);
  let measured = 0;
  let started = 0;
  let errors = 0;
  let non2xx = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const measureFrom = t0 + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;

  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const sent = performance.now();
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'GET', agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            const done = performance.now();
            if (sent >= measureFrom && done <= stopAt) {
              latencies[measured++] = done - sent;
              if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) non2xx++;
            }
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });

  const loop = async (): Promise<void> => {
    while (performance.now() < stopAt && started < o.maxRequests) {
      started++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, loop));
  agent.destroy();
  const cpu = process.cpuUsage(cpu0);

  const seconds = Math.min(performance.now(), stopAt) - measureFrom;
  const sorted = latencies.subarray(0, measured).sort();
  return {
    requests: measured,
    sent: started,
    errors,
    non2xx,
    seconds: seconds / 1000,
    perSecond: measured / (seconds / 1000),
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    cpuMicrosPerRequest: (cpu.user + cpu.system) / started,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const result = await generate(options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
