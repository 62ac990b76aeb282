// Inputs from Fly's Prometheus-compatible metrics API (superfly/docs monitoring/metrics.html.md:
// `https://api.fly.io/prometheus/<org-slug>/api/v1/query`, the same Authorization header as the
// Machines API): per-instance concurrency (`fly_app_concurrency`, its `instance` label is the
// machine id) and edge responses by status (`fly_edge_http_responses_count`,
// `fly_edge_http_response_time_seconds`). Where the token does not reach it, the reading is a
// note instead of numbers: the screen says "not reported", never 0.
import { ProviderError } from '../../engine/provider-error.ts';
import type { FlyEndpoints } from './endpoints.ts';
import { machinesAuthorization } from './fly-token.ts';
import type { JsonClient } from './http-json.ts';

/** What the metrics API said about one app, just now. */
export interface InputsReading {
  /** In-flight requests per machine id. */
  inFlightByMachine: Map<string, number>;
  inFlight: number;
  donePerSecond: number;
  failedPerSecond: number;
  /** Seconds → milliseconds already applied; null when there were no requests to measure. */
  p50: number | null;
  p95: number | null;
}

interface PromVector {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] };
}

/** A label value safe inside a PromQL string (app names are `[a-z0-9-]`; this is belt and braces). */
const quote = (value: string) => JSON.stringify(value);

export class MetricsApi {
  constructor(
    private readonly http: JsonClient,
    private readonly endpoints: FlyEndpoints,
  ) {}

  private async query(org: string, promql: string, timeoutMs: number): Promise<PromVector['data']> {
    const url = `${this.endpoints.metrics}/prometheus/${encodeURIComponent(org)}/api/v1/query?query=${encodeURIComponent(promql)}`;
    const { body } = await this.http.send<PromVector>({
      url,
      headers: { authorization: machinesAuthorization(this.endpoints.token) },
      timeoutMs,
    });
    if (body?.status !== 'success') {
      throw new ProviderError(
        'failed',
        `the metrics API refused the query: ${body?.error ?? 'no reason given'}`,
      );
    }
    return body.data;
  }

  /** Reads the app's inputs; rejects (with a ProviderError) when the API does not answer or refuses. */
  async read(org: string, app: string, timeoutMs = 5000): Promise<InputsReading> {
    const selector = `{app=${quote(app)}}`;
    const [concurrency, responses, p50, p95] = await Promise.all([
      this.query(org, `sum(fly_app_concurrency${selector}) by (instance)`, timeoutMs),
      this.query(org, `sum(rate(fly_edge_http_responses_count${selector}[1m])) by (status)`, timeoutMs),
      this.query(org, quantile(0.5, selector), timeoutMs),
      this.query(org, quantile(0.95, selector), timeoutMs),
    ]);
    const inFlightByMachine = new Map<string, number>();
    for (const row of concurrency?.result ?? []) {
      const id = row.metric?.instance;
      const value = numberOf(row.value);
      if (id && value !== null) inFlightByMachine.set(id, Math.round(value));
    }
    let donePerSecond = 0;
    let failedPerSecond = 0;
    for (const row of responses?.result ?? []) {
      const value = numberOf(row.value) ?? 0;
      // A 5xx from the edge is a failed input; every other answer is one the app gave.
      if ((row.metric?.status ?? '').startsWith('5')) failedPerSecond += value;
      else donePerSecond += value;
    }
    return {
      inFlightByMachine,
      inFlight: [...inFlightByMachine.values()].reduce((a, b) => a + b, 0),
      donePerSecond,
      failedPerSecond,
      p50: milliseconds(p50),
      p95: milliseconds(p95),
    };
  }
}

function quantile(q: number, selector: string): string {
  return `histogram_quantile(${q}, sum(rate(fly_edge_http_response_time_seconds_bucket${selector}[1m])) by (le))`;
}

function numberOf(value: [number, string] | undefined): number | null {
  if (!value) return null;
  const n = Number(value[1]);
  return Number.isFinite(n) ? n : null;
}

function milliseconds(data: PromVector['data']): number | null {
  const seconds = numberOf(data?.result?.[0]?.value);
  return seconds === null ? null : Math.round(seconds * 1000);
}
