// Reading requests and writing answers the way the API server does: JSON bodies,
// metav1.Status for failures, list envelopes whose items carry no kind/apiVersion.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './json.ts';
import { StatusError } from './status.ts';
import type { KubeObject } from './types.ts';

export interface ParsedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  accept: string;
  /** Parsed JSON, the raw text when not JSON, undefined when empty. */
  body: Json | string | undefined;
}

/** What a handler answers: a JSON body with its code, or 'streamed' when it wrote the response itself. */
export type Reply = { code: number; body: unknown } | 'streamed';

export const ok = (body: unknown): Reply => ({ code: 200, body });

export async function readRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://fake');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  let body: Json | string | undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = text;
    }
  }
  const path = url.pathname.replace(/\/+$/, '') || '/';
  return { method: req.method ?? 'GET', path, query, contentType, accept: req.headers.accept ?? '', body };
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Writes a failure as its Status (an unexpected one as a 500 InternalError). */
export function sendError(res: ServerResponse, error: unknown): void {
  const status =
    error instanceof StatusError
      ? error
      : new StatusError(
          500,
          'InternalError',
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (res.headersSent) res.end();
  else sendJson(res, status.code, status.toJSON());
}

/** A list envelope as the API server serves it: items without kind and apiVersion. */
export function listOf(
  kind: string,
  apiVersion: string,
  items: KubeObject[],
  resourceVersion: number,
  next: string | null,
  remaining: number,
): Json {
  const metadata: Record<string, Json> = { resourceVersion: String(resourceVersion) };
  if (next) {
    metadata.continue = next;
    metadata.remainingItemCount = remaining;
  }
  return {
    kind: `${kind}List`,
    apiVersion,
    metadata,
    items: items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest as unknown as Json),
  };
}

/** Whether a query flag is on, as the API server parses booleans (`true`, `1`). */
export function flag(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}
