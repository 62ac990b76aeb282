// An HTTP fake of the Fly APIs cutover and flyctl talk to, on 127.0.0.1, answering with the
// shapes of the recorded payloads:
// - the Machines API under /v1 (fly-go flaps/flaps_apps.go, flaps_machines.go, flaps_secrets.go;
//   superfly/docs reference/machines/_machines_list_resp.erb, _machines_get_resp.erb and
//   _machines_lease_create_resp.erb for the bodies, extended with fly-go's `checks`,
//   `config.metadata.fly_release_version`, `host_status`, `cordoned`);
// - api.fly.io's releases API under /api/v1 (flyctl internal/uiex/releases.go);
// - the Prometheus-compatible metrics API under /prometheus/<org> (superfly/docs
//   monitoring/metrics.html.md).
// It records every call, can be told to stop answering (an outage) and to answer again, and
// holds a registry of what each image does once running (its checks pass or fail). The fake
// `fly` (bin/fly) changes machines only through these same endpoints, as flyctl does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeApp, type ImageBehaviour, type Machine } from './fake-app.ts';
import { routes } from './fake-routes.ts';

export interface FakeCall {
  method: string;
  path: string;
}

export type Json = Record<string, unknown> | unknown[] | null;
export type Handler = (
  req: http.IncomingMessage,
  match: RegExpExecArray,
  body: Json,
  url: URL,
) => Promise<[number, unknown]> | [number, unknown];

export class FlyApiFake {
  readonly apps = new Map<string, FakeApp>();
  readonly calls: FakeCall[] = [];
  readonly registry = new Map<string, ImageBehaviour>();
  /** Orgs whose metrics the token reaches; others answer 403. */
  readonly metricsOrgs = new Set<string>();
  stepMs = 150;
  private server: http.Server | null = null;
  private stalled: (() => void)[] | null = null;
  private readonly routes: [string, RegExp, Handler][] = [];
  url = '';

  constructor(readonly token: string) {
    routes(this);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Idle connections stay open for the test's length: a client reusing one the server had just
    // closed would fail for a reason that is not the one under test.
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const app of this.apps.values()) app.close();
    this.resume();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** `fly apps create NAME --org ORG`, done on the side. */
  createApp(name: string, org = 'personal'): FakeApp {
    const app = new FakeApp(
      name,
      org,
      `app_${name}`,
      () => this.stepMs,
      (image) => this.registry.get(image) ?? { checks: 'passing' },
    );
    this.apps.set(name, app);
    return app;
  }

  /** From now on every request hangs unanswered (an outage), until `resume`. */
  stall(): void {
    this.stalled ??= [];
  }

  /** Answers the requests held since `stall`, and every later one. */
  resume(): void {
    const held = this.stalled ?? [];
    this.stalled = null;
    for (const release of held) release();
  }

  /** Calls made to a path matching `pattern` (method included: `GET /v1/apps/shop/machines`). */
  callsTo(pattern: RegExp): FakeCall[] {
    return this.calls.filter((c) => pattern.test(`${c.method} ${c.path}`));
  }

  on(method: string, pattern: RegExp, handler: Handler): void {
    this.routes.push([method, pattern, handler]);
  }

  app(name: string | undefined): FakeApp | null {
    return name === undefined ? null : (this.apps.get(decodeURIComponent(name)) ?? null);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!url.pathname.startsWith('/__fake/')) {
      this.calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search });
      if (this.stalled) await new Promise<void>((resolve) => this.stalled?.push(resolve) ?? resolve());
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${this.token}` && auth !== `FlyV1 ${this.token}`)
        return send(401, { error: 'unauthorized' });
    }
    let body: Json = null;
    try {
      body = text === '' ? null : (JSON.parse(text) as Json);
    } catch {
      return send(400, { error: 'invalid JSON body' });
    }
    for (const [method, pattern, handler] of this.routes) {
      if (method !== req.method) continue;
      const match = pattern.exec(url.pathname);
      if (!match) continue;
      const [status, answer] = await handler(req, match, body, url);
      return send(status, answer);
    }
    send(404, { error: `no route ${req.method} ${url.pathname}` });
  }

  machineOf(match: RegExpExecArray): [FakeApp, Machine] | [number, unknown] {
    const app = this.app(match[1]);
    if (!app) return [404, { error: `Could not find App "${match[1]}"` }];
    const machine = app.machines.get(match[2] ?? '');
    if (!machine) return [404, { error: 'machine not found' }];
    return [app, machine];
  }

  /** A mutation on a leased machine needs the lease's nonce (fly-go flaps.NonceHeader). */
  leaseRefuses(app: FakeApp, machine: Machine, req: http.IncomingMessage): [number, unknown] | null {
    const lease = app.lease(machine.id);
    if (!lease || req.headers['fly-machine-lease-nonce'] === lease.nonce) return null;
    return [
      409,
      {
        error: `lease currently held by ${lease.owner}, expires at ${new Date(lease.expires_at * 1000).toISOString()}`,
      },
    ];
  }

  appJson(app: FakeApp) {
    return {
      id: app.id,
      name: app.name,
      status: app.machines.size > 0 ? 'deployed' : 'pending',
      machine_count: app.machines.size,
      organization: { name: app.org, slug: app.org },
    };
  }
}
