// Readiness of one container: polled until it first answers, then probed every period for as
// long as it runs (H1). It only reports: the engine owns the start timeout, and the runtime
// aborts the signal when the container goes away.
import { request } from 'node:http';
import { connect } from 'node:net';

/** How to wait for one container. */
export interface ReadinessCheck {
  port: number;
  /** `port`: a TCP connection succeeds; otherwise an HTTP path that must answer 2xx. */
  ready: string;
  signal: AbortSignal;
  /** Pause between probes; default 100 ms. */
  intervalMs?: number;
  /** Told what each probe got (`HTTP 503 from /healthz: "warming up"`), for the screen (H1). */
  onAnswer?: (answer: string) => void;
}

/** How to keep probing a ready container, Kubernetes-style. */
export interface ReadinessWatch {
  port: number;
  ready: string;
  signal: AbortSignal;
  periodMs: number;
  timeoutMs: number;
  /** This many failed probes in a row make it unready. */
  failureThreshold: number;
  onUnready(reason: string): void;
}

// A probe that hangs (the server accepted but never answers) must not stall the polling: it is
// given up after this long and the next probe runs.
const START_PROBE_TIMEOUT_MS = 2_000;

/** What one probe found: whether the container is ready, and what it answered (null: aborted). */
interface Probe {
  ok: boolean;
  answer: string | null;
}

type Prober = (timeoutMs: number) => Promise<Probe>;

function probeOf(port: number, ready: string, signal: AbortSignal): Prober {
  return ready === 'port'
    ? (timeoutMs) => probePort(port, signal, timeoutMs)
    : (timeoutMs) => probePath(port, ready, signal, timeoutMs);
}

/** Resolves once the container answers; rejects with the signal's reason when it aborts. */
export async function waitUntilReady(o: ReadinessCheck): Promise<void> {
  const intervalMs = o.intervalMs ?? 100;
  const probe = probeOf(o.port, o.ready, o.signal);
  for (;;) {
    o.signal.throwIfAborted();
    const { ok, answer } = await probe(START_PROBE_TIMEOUT_MS);
    if (answer !== null) o.onAnswer?.(answer);
    if (ok) return;
    o.signal.throwIfAborted();
    await pause(intervalMs, o.signal);
  }
}

/**
 * H1: probes a ready container every period; after `failureThreshold` failures in a row it calls
 * `onUnready` once and stops. Rejects with the signal's reason when it aborts.
 */
export async function watchReadiness(o: ReadinessWatch): Promise<void> {
  const probe = probeOf(o.port, o.ready, o.signal);
  let failures = 0;
  for (;;) {
    await pause(o.periodMs, o.signal);
    const { ok, answer } = await probe(o.timeoutMs);
    o.signal.throwIfAborted();
    failures = ok ? 0 : failures + 1;
    if (!ok && failures >= o.failureThreshold) {
      o.onUnready(`${failures} readiness probes failed in a row (last: ${answer ?? 'aborted'})`);
      return;
    }
  }
}

const noAnswer = (timeoutMs: number) => `no answer within ${timeoutMs} ms`;

/** `connection refused`, or the error's code. */
function refusal(error: NodeJS.ErrnoException): string {
  return error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message);
}

function probePort(port: number, signal: AbortSignal, timeoutMs: number): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const settle = (ok: boolean, answer: string | null) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok, answer });
    };
    // A listener per probe, removed when it ends: passing the signal itself leaves one behind each time.
    const onAbort = () => settle(false, null);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => settle(true, 'port open'));
    socket.once('timeout', () => settle(false, noAnswer(timeoutMs)));
    socket.on('error', (error) => settle(false, refusal(error)));
  });
}

function probePath(port: number, path: string, signal: AbortSignal, timeoutMs: number): Promise<Probe> {
  const where = path.startsWith('/') ? path : `/${path}`;
  return new Promise((resolve) => {
    // agent: false so a probe never reuses (or leaves behind) a pooled keep-alive socket.
    const req = request({
      host: '127.0.0.1',
      port,
      path: where,
      method: 'GET',
      agent: false,
      timeout: timeoutMs,
    });
    let settled = false;
    const settle = (ok: boolean, answer: string | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ ok, answer });
    };
    const onAbort = () => settle(false, null);
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      // The start of the body says why (`warming up`); no more than that is kept.
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 200) body += chunk;
      });
      const answer = () => {
        const first = body.split('\n')[0]!.trim().slice(0, 60);
        return `HTTP ${res.statusCode} from ${where}${first === '' ? '' : `: ${JSON.stringify(first)}`}`;
      };
      res.once('end', () => settle(ok, answer()));
      res.on('error', () => settle(ok, answer()));
    });
    req.once('timeout', () => settle(false, noAnswer(timeoutMs)));
    req.on('error', (error) => settle(false, refusal(error)));
    req.end();
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
