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

/** Why a probe failed, or null when it passed. */
type Probe = (timeoutMs: number) => Promise<string | null>;

function probeOf(port: number, ready: string, signal: AbortSignal): Probe {
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
    if ((await probe(START_PROBE_TIMEOUT_MS)) === null) return;
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
    const failed = await probe(o.timeoutMs);
    o.signal.throwIfAborted();
    failures = failed === null ? 0 : failures + 1;
    if (failed !== null && failures >= o.failureThreshold) {
      o.onUnready(`${failures} readiness probes failed in a row (last: ${failed})`);
      return;
    }
  }
}

function probePort(port: number, signal: AbortSignal, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: timeoutMs });
    const settle = (why: string | null) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(why);
    };
    // A listener per probe, removed when it ends: passing the signal itself leaves one behind each time.
    const onAbort = () => settle('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => settle(null));
    socket.once('timeout', () => settle(`no connection within ${timeoutMs} ms`));
    socket.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
  });
}

function probePath(
  port: number,
  path: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<string | null> {
  return new Promise((resolve) => {
    // agent: false so a probe never reuses (or leaves behind) a pooled keep-alive socket.
    const req = request({
      host: '127.0.0.1',
      port,
      path: path.startsWith('/') ? path : `/${path}`,
      method: 'GET',
      agent: false,
      timeout: timeoutMs,
    });
    let settled = false;
    const settle = (why: string | null) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(why);
    };
    const onAbort = () => settle('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      const why = status >= 200 && status < 300 ? null : `${path} answered ${status}`;
      res.resume();
      res.once('end', () => settle(why));
      res.on('error', () => settle(why));
    });
    req.once('timeout', () => settle(`${path} gave no answer within ${timeoutMs} ms`));
    req.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    req.end();
  });
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
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
