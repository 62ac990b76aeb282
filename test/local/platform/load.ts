// A bounded load generator: N concurrent keep-alive loops against a proxy URL on 127.0.0.1,
// paced to a total rate, recording every response (status, the body's version and container,
// start and end times). It stops by itself after a count or a duration, or when told to.
import { Agent, request } from 'node:http';

/** One request as the client saw it; times are Date.now() milliseconds. */
export interface Sample {
  start: number;
  end: number;
  /** The HTTP status, or null when the request failed without one (reset, refused, timeout). */
  status: number | null;
  /** The parsed JSON body, when it was JSON. */
  body: { version?: number; container?: string; message?: string; error?: string } | null;
  /** Why it failed without a status. */
  error?: string;
}

export interface LoadOptions {
  /** Concurrent loops (connections); default 8. */
  concurrency?: number;
  /** Total requests per second across the loops; default 200. */
  rate?: number;
  /** Stop after this many requests were started. */
  count?: number;
  /** Stop starting requests after this long; default 60 s (a bound, not a target). */
  durationMs?: number;
  /** A request with no answer after this long counts as failed; default 30 s. */
  requestTimeoutMs?: number;
}

export interface Load {
  /** Every request so far (finished ones only). */
  readonly samples: readonly Sample[];
  /** Stops starting requests; resolves with every sample once those in flight have ended. */
  stop(): Promise<Sample[]>;
  /** Resolves with every sample once the load ends by itself (count or duration). */
  readonly done: Promise<Sample[]>;
}

/** A sample that did not come back as a 200 from the app. */
export function failed(sample: Sample): boolean {
  return sample.status !== 200;
}

/** Starts the load at once. */
export function startLoad(url: string, options: LoadOptions = {}): Load {
  const concurrency = options.concurrency ?? 8;
  const rate = options.rate ?? 200;
  const deadline = Date.now() + (options.durationMs ?? 60_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const samples: Sample[] = [];
  let started = 0;
  let stopped = false;
  // Each loop sends one request per `interval`, offset from the others so the rate is even.
  const interval = (1000 * concurrency) / rate;
  const target = new URL(url);

  const one = (): Promise<Sample> =>
    new Promise((resolve) => {
      const start = Date.now();
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: '/',
          method: 'GET',
          agent,
          timeout: requestTimeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => {
            let body: Sample['body'] = null;
            try {
              body = JSON.parse(text);
            } catch {
              // not JSON: kept as null; the status says what happened
            }
            resolve({ start, end: Date.now(), status: res.statusCode ?? null, body });
          });
          res.on('error', (error) =>
            resolve({ start, end: Date.now(), status: null, body: null, error: error.message }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) =>
        resolve({ start, end: Date.now(), status: null, body: null, error: error.message }),
      );
      req.end();
    });

  const more = () =>
    !stopped && Date.now() < deadline && (options.count === undefined || started < options.count);

  const loop = async (index: number) => {
    let next = Date.now() + (index * interval) / concurrency;
    for (;;) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!more()) return;
      started++;
      samples.push(await one());
      // Behind schedule (a slow answer): go on from now rather than bursting to catch up.
      next = Math.max(next + interval, Date.now());
    }
  };

  const done = Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i))).then(() => {
    agent.destroy();
    return samples;
  });
  return {
    samples,
    done,
    stop() {
      stopped = true;
      return done;
    },
  };
}

/** Counts and extremes of a load's samples, for logs and failure messages. */
export function summarize(samples: readonly Sample[]): {
  sent: number;
  failed: number;
  perSecond: number;
  longestMs: number;
  byVersion: Record<string, number>;
  firstFailures: Sample[];
} {
  const first = Math.min(...samples.map((s) => s.start));
  const last = Math.max(...samples.map((s) => s.end));
  const byVersion: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 200 ? `v${s.body?.version}` : String(s.status ?? s.error);
    byVersion[key] = (byVersion[key] ?? 0) + 1;
  }
  const failures = samples.filter(failed);
  return {
    sent: samples.length,
    failed: failures.length,
    perSecond: samples.length > 0 ? Math.round((samples.length * 1000) / Math.max(1, last - first)) : 0,
    longestMs: samples.reduce((m, s) => Math.max(m, s.end - s.start), 0),
    byVersion,
    firstFailures: failures.slice(0, 5),
  };
}
