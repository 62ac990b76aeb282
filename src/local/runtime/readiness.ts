// Polls a starting container until it answers. It only reports readiness: the engine owns the
// start timeout (H1) and aborts the signal when it gives up or the container goes away.
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

// A probe that hangs (the server accepted but never answers) must not stall the polling: it is
// given up after this long and the next probe runs.
const PROBE_TIMEOUT_MS = 2_000;

/** Resolves once the container answers; rejects with the signal's reason when it aborts. */
export async function waitUntilReady(o: ReadinessCheck): Promise<void> {
  const intervalMs = o.intervalMs ?? 100;
  const probe =
    o.ready === 'port' ? () => probePort(o.port, o.signal) : () => probePath(o.port, o.ready, o.signal);
  for (;;) {
    o.signal.throwIfAborted();
    if (await probe()) return;
    o.signal.throwIfAborted();
    await pause(intervalMs, o.signal);
  }
}

function probePort(port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: PROBE_TIMEOUT_MS });
    const settle = (ok: boolean) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(ok);
    };
    // A listener per probe, removed when it ends: passing the signal itself leaves one behind each time.
    const onAbort = () => settle(false);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => settle(true));
    socket.once('timeout', () => settle(false));
    socket.on('error', () => settle(false));
  });
}

function probePath(port: number, path: string, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    // agent: false so a probe never reuses (or leaves behind) a pooled keep-alive socket.
    const req = request({
      host: '127.0.0.1',
      port,
      path: path.startsWith('/') ? path : `/${path}`,
      method: 'GET',
      agent: false,
      timeout: PROBE_TIMEOUT_MS,
    });
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(ok);
    };
    const onAbort = () => settle(false);
    signal.addEventListener('abort', onAbort, { once: true });
    req.once('response', (res) => {
      const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
      res.resume();
      res.once('end', () => settle(ok));
      res.on('error', () => settle(ok));
    });
    req.once('timeout', () => settle(false));
    req.on('error', () => settle(false));
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
