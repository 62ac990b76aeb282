// Fly's REST APIs as cutover calls them: the Machines API for apps, machines, leases, stops and
// secret digests (fly-go flaps/flaps_apps.go, flaps_machines.go, flaps_secrets.go) and api.fly.io's
// releases API (flyctl internal/uiex/releases.go). Reads and the stop command only: deploys go
// through flyctl, which owns leases, pools and release bookkeeping.
import { ProviderError } from '../../engine/provider-error.ts';
import type { FlyEndpoints } from './endpoints.ts';
import { apiAuthorization, machinesAuthorization } from './fly-token.ts';
import type { FlyApp, FlyMachine, FlyRelease, FlySecretDigest } from './fly-types.ts';
import { JsonClient } from './http-json.ts';

/** The header flyctl sends with a machine's lease nonce (fly-go flaps.NonceHeader). */
export const nonceHeader = 'fly-machine-lease-nonce';

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class FlyApi {
  readonly http = new JsonClient();

  constructor(readonly endpoints: FlyEndpoints) {}

  private machinesUrl(path: string): string {
    return `${this.endpoints.machines}/v1${path}`;
  }

  private async machines<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: CallOptions & { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const response = await this.http.send<T>({
      method,
      url: this.machinesUrl(path),
      headers: { authorization: machinesAuthorization(this.endpoints.token), ...options.headers },
      body: options.body,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return response.body;
  }

  /** GET /v1/apps/{app}: its organisation and status; `not-found` with a sentence when it does not exist. */
  async app(name: string, options: CallOptions = {}): Promise<FlyApp> {
    try {
      return await this.machines<FlyApp>('GET', `/apps/${encodeURIComponent(name)}`, options);
    } catch (error) {
      throw unknownApp(error, name);
    }
  }

  /** GET /v1/apps?org_slug=: the organisation's apps. */
  async apps(org: string, options: CallOptions = {}): Promise<FlyApp[]> {
    const body = await this.machines<{ apps?: FlyApp[] }>(
      'GET',
      `/apps?org_slug=${encodeURIComponent(org)}`,
      options,
    );
    return body?.apps ?? [];
  }

  /** GET /v1/apps/{app}/machines: every machine, stopped ones included. */
  async listMachines(app: string, options: CallOptions = {}): Promise<FlyMachine[]> {
    try {
      return (
        (await this.machines<FlyMachine[]>('GET', `/apps/${encodeURIComponent(app)}/machines`, options)) ?? []
      );
    } catch (error) {
      throw unknownApp(error, app);
    }
  }

  /** POST /v1/apps/{app}/machines/{id}/lease?ttl=: the nonce, as flyctl takes it before changing a machine. */
  async acquireLease(app: string, id: string, ttlSeconds: number, description: string): Promise<string> {
    const body = await this.machines<{ data?: { nonce?: string } }>(
      'POST',
      `/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}/lease?ttl=${ttlSeconds}`,
      { body: { description } },
    );
    const nonce = body?.data?.nonce;
    if (!nonce) throw new ProviderError('failed', `the lease on machine ${id} came back without a nonce`);
    return nonce;
  }

  /** GET /v1/apps/{app}/machines/{id}/lease: who holds the machine now, or null (404: nobody). */
  async findLease(app: string, id: string): Promise<{ owner: string; description: string } | null> {
    try {
      const body = await this.machines<{
        data?: { owner?: string; description?: string; expires_at?: number };
      }>('GET', `/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}/lease`, {
        timeoutMs: 5000,
      });
      const lease = body?.data;
      if (!lease || (lease.expires_at !== undefined && lease.expires_at * 1000 < Date.now())) return null;
      return { owner: lease.owner ?? 'someone', description: lease.description ?? '' };
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'not-found') return null;
      throw error;
    }
  }

  async releaseLease(app: string, id: string, nonce: string): Promise<void> {
    await this.machines(
      'DELETE',
      `/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}/lease`,
      {
        headers: { [nonceHeader]: nonce },
      },
    );
  }

  /** POST /v1/apps/{app}/machines/{id}/stop under a lease (flyctl internal/command/machine/stop.go). */
  async stopMachine(app: string, id: string, nonce: string): Promise<void> {
    await this.machines('POST', `/apps/${encodeURIComponent(app)}/machines/${encodeURIComponent(id)}/stop`, {
      headers: { [nonceHeader]: nonce },
      body: {},
    });
  }

  /** GET /v1/apps/{app}/secrets: names and digests, never values (`show_secrets` is not sent). */
  async secretDigests(app: string, options: CallOptions = {}): Promise<FlySecretDigest[]> {
    const body = await this.machines<{ secrets?: { name: string; digest?: string }[] }>(
      'GET',
      `/apps/${encodeURIComponent(app)}/secrets`,
      options,
    );
    return (body?.secrets ?? []).map((s) => ({ name: s.name, digest: s.digest ?? '' }));
  }

  /** GET {uiex}/api/v1/apps/{app}/releases?limit=N, newest first. */
  async releases(app: string, limit: number, options: CallOptions = {}): Promise<FlyRelease[]> {
    let response: { body: { releases?: FlyRelease[] } };
    try {
      response = await this.http.send({
        url: `${this.endpoints.releases}/api/v1/apps/${encodeURIComponent(app)}/releases?limit=${limit}`,
        headers: { authorization: apiAuthorization(this.endpoints.token) },
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      throw unknownApp(error, app);
    }
    return [...(response.body?.releases ?? [])].sort((a, b) => b.version - a.version);
  }

  close(): void {
    this.http.close();
  }
}

function unknownApp(error: unknown, app: string): unknown {
  if (error instanceof ProviderError && error.code === 'not-found') {
    return new ProviderError('not-found', `app ${app} not found on Fly (${error.message})`, {
      reason: 'unknown-app',
    });
  }
  return error;
}
