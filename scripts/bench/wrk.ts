// wrk (Debian's) as the proxy benchmark's client: a C load generator, so the client is never
// the slowest part. Runs one measurement and reads throughput and latency percentiles.
import { execFile } from 'node:child_process';

/** What one wrk run measured. */
export interface WrkResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors plus non-2xx/3xx answers. */
  errors: number;
}

/** wrk prints latencies as `812.00us`, `1.20ms`, `1.01s`. */
function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

export function parseWrk(output: string): WrkResult {
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(output)?.[1]);
  const p50 = /^\s+50%\s+(\S+)/m.exec(output)?.[1];
  const p99 = /^\s+99%\s+(\S+)/m.exec(output)?.[1];
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
  if (!Number.isFinite(perSecond) || p50 === undefined || p99 === undefined)
    throw new Error(`wrk: cannot read its output:\n${output}`);
  return { requests, perSecond, p50Ms: millis(p50), p99Ms: millis(p99), errors };
}

/** Runs wrk against `url` for `durationMs` with `connections` keep-alive connections on one thread. */
export function runWrk(url: string, o: { connections: number; durationMs: number }): Promise<WrkResult> {
  const args = ['-t1', `-c${o.connections}`, `-d${Math.round(o.durationMs / 1000)}s`, '--latency', url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: o.durationMs + 15_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`wrk ${args.join(' ')}: ${error.message}\n${stderr}`));
        return;
      }
      try {
        resolve(parseWrk(stdout));
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
