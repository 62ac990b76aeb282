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
import { FakeApp, type ImageBehaviour, type Machine, machineJson } from './fake-app.ts';

export interface FakeCall {
  method: string;
  path: string;
}

type Json = Record<string, unknown> | unknown[] | null;
type Handler = (
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
    this.routing();
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

  private on(method: string, pattern: RegExp, handler: Handler): void {
    this.routes.push([method, pattern, handler]);
  }

  private app(name: string | undefined): FakeApp | null {
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

  private machineOf(match: RegExpExecArray): [FakeApp, Machine] | [number, unknown] {
    const app = this.app(match[1]);
    if (!app) return [404, { error: `Could not find App "${match[1]}"` }];
    const machine = app.machines.get(match[2] ?? '');
    if (!machine) return [404, { error: 'machine not found' }];
    return [app, machine];
  }

  /** A mutation on a leased machine needs the lease's nonce (fly-go flaps.NonceHeader). */
  private leaseRefuses(app: FakeApp, machine: Machine, req: http.IncomingMessage): [number, unknown] | null {
    const lease = app.lease(machine.id);
    if (!lease || req.headers['fly-machine-lease-nonce'] === lease.nonce) return null;
    return [
      409,
      {
        error: `lease currently held by ${lease.owner}, expires at ${new Date(lease.expires_at * 1000).toISOString()}`,
      },
    ];
  }

  private routing(): void {
    const apps = /^\/v1\/apps\/([^/]+)$/;
    const machines = /^\/v1\/apps\/([^/]+)\/machines$/;
    const machine = /^\/v1\/apps\/([^/]+)\/machines\/([^/]+)$/;
    const action = (name: string) => new RegExp(`^/v1/apps/([^/]+)/machines/([^/]+)/${name}$`);

    this.on('GET', /^\/v1\/apps$/, (_req, _m, _b, url) => {
      const org = url.searchParams.get('org_slug');
      const list = [...this.apps.values()].filter((a) => a.org === org);
      return [200, { total_apps: list.length, apps: list.map((a) => this.appJson(a)) }];
    });
    this.on('GET', apps, (_req, m) => {
      const app = this.app(m[1]);
      return app ? [200, this.appJson(app)] : [404, { error: `Could not find App "${m[1]}"` }];
    });
    this.on('GET', machines, (_req, m) => {
      const app = this.app(m[1]);
      if (!app) return [404, { error: `Could not find App "${m[1]}"` }];
      return [200, [...app.machines.values()].filter((x) => x.state !== 'destroyed').map(machineJson)];
    });
    this.on('POST', machines, (_req, m, body) => {
      const app = this.app(m[1]);
      if (!app) return [404, { error: `Could not find App "${m[1]}"` }];
      return [200, machineJson(app.launch(body as Parameters<FakeApp['launch']>[0]))];
    });
    this.on('GET', machine, (_req, m) => {
      const found = this.machineOf(m);
      return typeof found[0] === 'number'
        ? (found as [number, unknown])
        : [200, machineJson(found[1] as Machine)];
    });
    this.on('POST', machine, (req, m, body) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const [app, target] = found as [FakeApp, Machine];
      const refused = this.leaseRefuses(app, target, req);
      if (refused) return refused;
      const input = body as { config: Machine['config']; skip_launch?: boolean };
      return [200, machineJson(app.update(target, input.config, input.skip_launch === true))];
    });
    this.on('DELETE', machine, (req, m) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const [app, target] = found as [FakeApp, Machine];
      const refused = this.leaseRefuses(app, target, req);
      if (refused) return refused;
      app.destroy(target);
      return [200, { ok: true }];
    });
    for (const name of ['start', 'stop', 'cordon', 'uncordon']) {
      this.on('POST', action(name), (req, m) => {
        const found = this.machineOf(m);
        if (typeof found[0] === 'number') return found as [number, unknown];
        const [app, target] = found as [FakeApp, Machine];
        const refused = this.leaseRefuses(app, target, req);
        if (refused) return refused;
        if (name === 'start') return [200, { previous_state: app.start(target) }];
        if (name === 'stop') app.stop(target);
        if (name === 'cordon') target.cordoned = true;
        if (name === 'uncordon') target.cordoned = false;
        return [200, { ok: true }];
      });
    }
    this.on('GET', action('wait'), async (_req, m, _b, url) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const target = found[1] as Machine;
      const state = url.searchParams.get('state') ?? 'started';
      const instance = url.searchParams.get('instance_id');
      const deadline = Date.now() + Number(url.searchParams.get('timeout') ?? 60) * 1000;
      while (Date.now() < deadline) {
        if (target.state === state && (!instance || instance === target.instance_id))
          return [200, { ok: true }];
        if (state === 'destroyed' && target.state === 'destroyed') return [200, { ok: true }];
        await new Promise((r) => setTimeout(r, 50));
      }
      return [408, { error: `deadline_exceeded: machine did not reach ${state}` }];
    });
    this.on('POST', action('lease'), (req, m, body, url) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const [app, target] = found as [FakeApp, Machine];
      const description = (body as { description?: string } | null)?.description ?? '';
      const lease = app.acquire(
        target.id,
        Number(url.searchParams.get('ttl') ?? 30),
        'ops@example.com',
        description,
      );
      if (!lease) return [409, { error: `lease currently held by ${app.lease(target.id)?.owner}` }];
      void req;
      return [200, { status: 'success', data: lease }];
    });
    this.on('GET', action('lease'), (_req, m) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const lease = (found[0] as FakeApp).lease((found[1] as Machine).id);
      return lease ? [200, { status: 'success', data: lease }] : [404, { error: 'no lease' }];
    });
    this.on('DELETE', action('lease'), (req, m) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const [app, target] = found as [FakeApp, Machine];
      const lease = app.lease(target.id);
      if (lease && req.headers['fly-machine-lease-nonce'] !== lease.nonce)
        return [409, { error: 'wrong nonce' }];
      app.leases.delete(target.id);
      return [200, { ok: true }];
    });
    this.on('POST', /^\/v1\/apps\/([^/]+)\/machines\/([^/]+)\/metadata\/([^/]+)$/, (_req, m, body) => {
      const found = this.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const target = found[1] as Machine;
      target.config.metadata = {
        ...target.config.metadata,
        [decodeURIComponent(m[3]!)]: String((body as { value?: unknown })?.value ?? ''),
      };
      return [204, undefined];
    });
    this.on('GET', /^\/v1\/apps\/([^/]+)\/secrets$/, (_req, m) => {
      const app = this.app(m[1]);
      if (!app) return [404, { error: `Could not find App "${m[1]}"` }];
      const secrets = [...app.secrets.entries()].sort(([a], [b]) => a.localeCompare(b));
      return [
        200,
        {
          secrets: secrets.map(([name, s]) => ({
            name,
            digest: s.digest,
            updated_at: s.updated_at,
            created_at: s.updated_at,
          })),
        },
      ];
    });

    // api.fly.io releases (uiex)
    this.on('GET', /^\/api\/v1\/apps\/([^/]+)\/releases$/, (_req, m, _b, url) => {
      const app = this.app(m[1]);
      if (!app) return [404, { error: 'Not Found' }];
      const limit = Number(url.searchParams.get('limit') ?? 25);
      return [200, { releases: app.releases.slice(0, limit) }];
    });
    this.on('GET', /^\/api\/v1\/apps\/([^/]+)\/releases\/current$/, (_req, m) => {
      const current = this.app(m[1])?.releases.find((r) => r.status === 'complete');
      return current ? [200, current] : [404, { error: 'Not Found' }];
    });
    this.on('POST', /^\/api\/v1\/releases$/, (_req, _m, body) => {
      const b = body as { app_name: string; image: string; strategy: string };
      const app = this.app(b.app_name);
      if (!app) return [404, { error: 'Not Found' }];
      return [201, { release: app.createRelease(b.image, b.strategy, 'ops@example.com') }];
    });
    this.on('PATCH', /^\/api\/v1\/releases\/([^/]+)$/, (_req, m, body) => {
      for (const app of this.apps.values()) {
        const r = app.setReleaseStatus(m[1]!, (body as { status: string }).status);
        if (r) return [200, r];
      }
      return [404, { error: 'Not Found' }];
    });

    // Prometheus-compatible metrics
    this.on('GET', /^\/prometheus\/([^/]+)\/api\/v1\/query$/, (_req, m, _b, url) => {
      const org = decodeURIComponent(m[1]!);
      if (!this.metricsOrgs.has(org))
        return [403, { status: 'error', error: 'token cannot read metrics of this org' }];
      const query = url.searchParams.get('query') ?? '';
      const app = [...this.apps.values()].find((a) => query.includes(`app="${a.name}"`));
      const at = Date.now() / 1000;
      const vector = (rows: [Record<string, string>, number][]): [number, unknown] => [
        200,
        {
          status: 'success',
          data: {
            resultType: 'vector',
            result: rows.map(([metric, v]) => ({ metric, value: [at, String(v)] })),
          },
        },
      ];
      if (!app) return vector([]);
      const started = [...app.machines.values()].filter((x) => x.state === 'started');
      if (query.includes('fly_app_concurrency'))
        return vector(started.map((x) => [{ instance: x.id }, 2]) as [Record<string, string>, number][]);
      if (query.includes('histogram_quantile(0.5')) return vector([[{}, 0.012]]);
      if (query.includes('histogram_quantile(0.95')) return vector([[{}, 0.087]]);
      if (query.includes('fly_edge_http_responses_count'))
        return vector([
          [{ status: '200' }, 10.5],
          [{ status: '503' }, 0.5],
        ]);
      return vector([]);
    });

    // The fake `fly` pushes what it "built" here: which images fail their checks.
    this.on('POST', /^\/__fake\/registry$/, (_req, _m, body) => {
      const b = body as { image: string; behaviour: ImageBehaviour };
      if (!this.registry.has(b.image)) this.registry.set(b.image, b.behaviour);
      return [200, { ok: true }];
    });
  }

  private appJson(app: FakeApp) {
    return {
      id: app.id,
      name: app.name,
      status: app.machines.size > 0 ? 'deployed' : 'pending',
      machine_count: app.machines.size,
      organization: { name: app.org, slug: app.org },
    };
  }
}
