// One HTTP exchange from a test, the way a client app makes it: a fresh connection, a method,
// a body, and the whole answer (status, headers, body) or the error that ended it.
import { type IncomingHttpHeaders, request } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: Record<string, unknown> | null;
}

export interface Call {
  /** Resolves with the reply; rejects when the connection ended without one. */
  reply: Promise<Reply>;
  /** The client gives up: the connection is closed. */
  abandon(): void;
}

export function call(url: string, o: { method?: string; body?: Buffer | string } = {}): Call {
  const target = new URL(url);
  const req = request({
    host: target.hostname,
    port: target.port,
    path: `${target.pathname}${target.search}`,
    method: o.method ?? 'GET',
    agent: false,
  });
  const reply = new Promise<Reply>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Reply['json'] = null;
        try {
          json = JSON.parse(body);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
  });
  reply.catch(() => undefined); // a test that abandons the call does not await it
  req.end(o.body);
  return { reply, abandon: () => req.destroy() };
}
