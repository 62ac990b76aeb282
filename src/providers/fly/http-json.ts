// JSON over node:http(s) with a deadline per request, and the one place an HTTP answer from Fly
// becomes a ProviderError. Error messages name the host and the status, never a header: the
// Authorization header carries the token.
import http from 'node:http';
import https from 'node:https';
import { ProviderError } from '../../engine/provider-error.ts';

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A full URL. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Aborted past this; default 10 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface JsonResponse<T> {
  status: number;
  body: T;
}

/** A small client: keep-alive agents per scheme, destroyed on close. */
export class JsonClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 8 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };

  /** Sends the request; a 2xx answer resolves, anything else rejects with a ProviderError. */
  async send<T>(request: JsonRequest): Promise<JsonResponse<T>> {
    const response = await this.raw(request);
    if (response.status >= 200 && response.status < 300) {
      return { status: response.status, body: (response.text === '' ? null : parse(response.text)) as T };
    }
    throw httpError(request, response.status, response.text);
  }

  /**
   * The status and text of the answer, whatever the status; network failures reject. A GET whose
   * kept-alive connection the server had just closed is sent again, once (fly-go flaps.go `do`
   * retries ECONNRESET the same way for requests that are safe to repeat).
   */
  async raw(request: JsonRequest): Promise<{ status: number; text: string }> {
    try {
      return await this.once(request);
    } catch (error) {
      const retry =
        (request.method ?? 'GET') === 'GET' && error instanceof ProviderError && error.reason === 'reset';
      if (!retry || request.signal?.aborted) throw error;
      return this.once(request);
    }
  }

  private once(request: JsonRequest): Promise<{ status: number; text: string }> {
    const url = new URL(request.url);
    const lib = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    const timeoutMs = request.timeoutMs ?? 10_000;
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, value?: { status: number; text: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value!);
      };
      const req = lib.request(url, { method: request.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish(null, { status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => finish(unreachable(url, error)));
      });
      const timer = setTimeout(() => {
        finish(
          new ProviderError('unavailable', `${url.host} timed out after ${timeoutMs / 1000}s`, {
            reason: 'timeout',
          }),
        );
        req.destroy();
      }, timeoutMs);
      const onAbort = () => {
        finish(
          new ProviderError('unavailable', `request to ${url.host} was cancelled`, { reason: 'cancelled' }),
        );
        req.destroy();
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(unreachable(url, error)));
      req.end(payload);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(
      'unavailable',
      `Fly answered with something that is not JSON: ${text.slice(0, 120)}`,
    );
  }
}

function unreachable(url: URL, error: Error): ProviderError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ProviderError('unavailable', `${url.host} did not answer (${code ?? error.message})`, {
    reason: code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'unreachable',
  });
}

/** What Fly said went wrong: flaps' `{"error": …, "message": …}` (fly-go flaps.go handleAPIError), else the text. */
export function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; errors?: { message?: string }[] };
    if (typeof body.message === 'string' && body.message !== '') return body.message;
    if (typeof body.error === 'string' && body.error !== '') return body.error;
    if (Array.isArray(body.errors) && body.errors[0]?.message) return body.errors[0].message;
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 200) || '(no message)';
}

function httpError(request: JsonRequest, status: number, text: string): ProviderError {
  const host = new URL(request.url).host;
  const said = errorText(text);
  if (status === 401)
    return new ProviderError(
      'forbidden',
      `Fly refused the token (401 from ${host}: ${said}); run fly auth login`,
      {
        reason: 'unauthorized',
      },
    );
  if (status === 403) return new ProviderError('forbidden', `Fly refused (403 from ${host}): ${said}`);
  if (status === 404) return new ProviderError('not-found', said, { reason: 'not-found' });
  if (status === 409) return new ProviderError('conflict', said);
  if (status === 408 || status === 429 || status >= 500)
    return new ProviderError('unavailable', `${host} answered ${status}: ${said}`, {
      reason: `http-${status}`,
    });
  return new ProviderError('failed', `${host} answered ${status}: ${said}`, { reason: `http-${status}` });
}
