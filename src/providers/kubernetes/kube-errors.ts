// The API server's refusals as the engine's ProviderError: a 403 keeps the server's own message
// (RBAC says exactly which verb on which resource), a connection failure says which cluster.
import { ProviderError, type ProviderErrorCode } from '../../engine/provider-error.ts';

interface StatusBody {
  message?: string;
  reason?: string;
}

function statusOf(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return (body ?? {}) as StatusBody;
}

const byStatus = (code: number): ProviderErrorCode => {
  if (code === 401 || code === 403) return 'forbidden';
  if (code === 404) return 'not-found';
  if (code === 409) return 'conflict';
  if (code === 400 || code === 422) return 'usage';
  if (code === 410) return 'conflict';
  return code >= 500 ? 'unavailable' : 'failed';
};

/** An error from the client (ApiException, a fetch failure, a watch's `statusCode`) as a ProviderError. */
export function kubeError(error: unknown, where: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { code?: unknown; statusCode?: unknown; body?: unknown; message?: string };
  const status = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : null;
  if (status !== null) {
    const body = statusOf(e.body);
    const message = body.message ?? e.message ?? `HTTP ${status}`;
    return new ProviderError(byStatus(status), `${where}: ${message}`, {
      reason: body.reason ?? `http-${status}`,
    });
  }
  // node-fetch's FetchError, ECONNREFUSED, a reset: the cluster could not be reached.
  const cause = (e as { code?: string; errno?: string }).code ?? (e as { errno?: string }).errno;
  return new ProviderError(
    'unavailable',
    `${where}: cannot reach the API server (${cause ?? e.message ?? String(error)})`,
    {
      reason: 'unreachable',
    },
  );
}
