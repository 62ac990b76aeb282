// A bare HTTPS client for the fake, to check its wire format byte for byte: requests with the
// kubeconfig's token and CA, and watches read line by line as they arrive.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FakeKube } from './index.ts';
import type { Json } from './json.ts';

export interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  json: Json;
}

export interface RawOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  /** Bearer token to send (default the fake's); null sends none. */
  token?: string | null;
}

function open(fake: FakeKube, path: string, options: RawOptions, onResponse: (res: IncomingMessage) => void) {
  const url = new URL(path, fake.url);
  const token = options.token === undefined ? fake.token : options.token;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const init = { method: options.method ?? 'GET', headers, ...(fake.ca ? { ca: fake.ca } : {}) };
  const req =
    url.protocol === 'https:' ? httpsRequest(url, init, onResponse) : httpRequest(url, init, onResponse);
  if (payload !== undefined) req.write(payload);
  req.end();
  return req;
}

export function call(fake: FakeKube, path: string, options: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = open(fake, path, options, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => {
        let json: Json = null;
        try {
          json = JSON.parse(text) as Json;
        } catch {}
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          text,
          json,
        });
      });
    });
    req.on('error', reject);
  });
}

export interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    metadata?: { name?: string; resourceVersion?: string };
    [key: string]: Json | undefined;
  };
}

export interface RawWatch {
  status: number;
  /** The next event line (waits up to 5 s for it). */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** Events received and not yet taken by next(). */
  pending(): WatchEvent[];
  /** Resolves when the server ends the stream: 'end' for a clean end, 'error' for a dropped connection. */
  ended: Promise<'end' | 'error'>;
  close(): void;
}

export function watch(fake: FakeKube, path: string, options: RawOptions = {}): Promise<RawWatch> {
  return new Promise((resolve, reject) => {
    const queue: WatchEvent[] = [];
    const waiters = new Set<() => void>();
    let buffer = '';
    let settle: (how: 'end' | 'error') => void = () => {};
    const ended = new Promise<'end' | 'error'>((r) => {
      settle = r;
    });
    const req = open(fake, path, options, (res) => {
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let at = buffer.indexOf('\n');
        while (at >= 0) {
          queue.push(JSON.parse(buffer.slice(0, at)) as WatchEvent);
          buffer = buffer.slice(at + 1);
          at = buffer.indexOf('\n');
        }
        for (const w of [...waiters]) w();
      });
      res.on('end', () => settle('end'));
      res.on('error', () => settle('error'));
      res.on('aborted', () => settle('error'));
      resolve({
        status: res.statusCode ?? 0,
        pending: () => [...queue],
        next(timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(attempt);
              fail(new Error(`no watch event on ${path} in ${timeoutMs} ms`));
            }, timeoutMs);
            const attempt = () => {
              const event = queue.shift();
              if (!event) return;
              waiters.delete(attempt);
              clearTimeout(timer);
              ok(event);
            };
            waiters.add(attempt);
            attempt();
          });
        },
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => {
      settle('error');
      reject(error);
    });
  });
}
