// The routes of the HTTP fake (see fly-api-fake.ts): the Machines API under /v1, api.fly.io's
// releases under /api/v1, the metrics API under /prometheus/<org>, and the fake `fly`'s registry.
import type { FakeApp } from './fake-app.ts';
import { type ImageBehaviour, type Machine, machineJson } from './fake-machine.ts';
import type { FlyApiFake } from './fly-api-fake.ts';

export function routes(f: FlyApiFake): void {
  const apps = /^\/v1\/apps\/([^/]+)$/;
  const machines = /^\/v1\/apps\/([^/]+)\/machines$/;
  const machine = /^\/v1\/apps\/([^/]+)\/machines\/([^/]+)$/;
  const action = (name: string) => new RegExp(`^/v1/apps/([^/]+)/machines/([^/]+)/${name}$`);

  f.on('GET', /^\/v1\/apps$/, (_req, _m, _b, url) => {
    const org = url.searchParams.get('org_slug');
    const list = [...f.apps.values()].filter((a) => a.org === org);
    return [200, { total_apps: list.length, apps: list.map((a) => f.appJson(a)) }];
  });
  f.on('GET', apps, (_req, m) => {
    const app = f.app(m[1]);
    return app ? [200, f.appJson(app)] : [404, { error: `Could not find App "${m[1]}"` }];
  });
  f.on('GET', machines, (_req, m) => {
    const app = f.app(m[1]);
    if (!app) return [404, { error: `Could not find App "${m[1]}"` }];
    return [200, [...app.machines.values()].filter((x) => x.state !== 'destroyed').map(machineJson)];
  });
  f.on('POST', machines, (_req, m, body) => {
    const app = f.app(m[1]);
    if (!app) return [404, { error: `Could not find App "${m[1]}"` }];
    return [200, machineJson(app.launch(body as Parameters<FakeApp['launch']>[0]))];
  });
  f.on('GET', machine, (_req, m) => {
    const found = f.machineOf(m);
    return typeof found[0] === 'number'
      ? (found as [number, unknown])
      : [200, machineJson(found[1] as Machine)];
  });
  f.on('POST', machine, (req, m, body) => {
    const found = f.machineOf(m);
    if (typeof found[0] === 'number') return found as [number, unknown];
    const [app, target] = found as [FakeApp, Machine];
    const refused = f.leaseRefuses(app, target, req);
    if (refused) return refused;
    const input = body as { config: Machine['config']; skip_launch?: boolean };
    return [200, machineJson(app.update(target, input.config, input.skip_launch === true))];
  });
  f.on('DELETE', machine, (req, m) => {
    const found = f.machineOf(m);
    if (typeof found[0] === 'number') return found as [number, unknown];
    const [app, target] = found as [FakeApp, Machine];
    const refused = f.leaseRefuses(app, target, req);
    if (refused) return refused;
    app.destroy(target);
    return [200, { ok: true }];
  });
  for (const name of ['start', 'stop', 'cordon', 'uncordon']) {
    f.on('POST', action(name), (req, m) => {
      const found = f.machineOf(m);
      if (typeof found[0] === 'number') return found as [number, unknown];
      const [app, target] = found as [FakeApp, Machine];
      const refused = f.leaseRefuses(app, target, req);
      if (refused) return refused;
      if (name === 'start') return [200, { previous_state: app.start(target) }];
      if (name === 'stop') app.stop(target);
      if (name === 'cordon') target.cordoned = true;
      if (name === 'uncordon') target.cordoned = false;
      return [200, { ok: true }];
    });
  }
  f.on('GET', action('wait'), async (_req, m, _b, url) => {
    const found = f.machineOf(m);
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
  f.on('POST', action('lease'), (req, m, body, url) => {
    const found = f.machineOf(m);
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
  f.on('GET', action('lease'), (_req, m) => {
    const found = f.machineOf(m);
    if (typeof found[0] === 'number') return found as [number, unknown];
    const lease = (found[0] as FakeApp).lease((found[1] as Machine).id);
    return lease ? [200, { status: 'success', data: lease }] : [404, { error: 'no lease' }];
  });
  f.on('DELETE', action('lease'), (req, m) => {
    const found = f.machineOf(m);
    if (typeof found[0] === 'number') return found as [number, unknown];
    const [app, target] = found as [FakeApp, Machine];
    const lease = app.lease(target.id);
    if (lease && req.headers['fly-machine-lease-nonce'] !== lease.nonce)
      return [409, { error: 'wrong nonce' }];
    app.leases.delete(target.id);
    return [200, { ok: true }];
  });
  f.on('POST', /^\/v1\/apps\/([^/]+)\/machines\/([^/]+)\/metadata\/([^/]+)$/, (_req, m, body) => {
    const found = f.machineOf(m);
    if (typeof found[0] === 'number') return found as [number, unknown];
    const target = found[1] as Machine;
    target.config.metadata = {
      ...target.config.metadata,
      [decodeURIComponent(m[3]!)]: String((body as { value?: unknown })?.value ?? ''),
    };
    return [204, undefined];
  });
  f.on('GET', /^\/v1\/apps\/([^/]+)\/secrets$/, (_req, m) => {
    const app = f.app(m[1]);
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
  f.on('GET', /^\/api\/v1\/apps\/([^/]+)\/releases$/, (_req, m, _b, url) => {
    const app = f.app(m[1]);
    if (!app) return [404, { error: 'Not Found' }];
    const limit = Number(url.searchParams.get('limit') ?? 25);
    return [200, { releases: app.releases.slice(0, limit) }];
  });
  f.on('GET', /^\/api\/v1\/apps\/([^/]+)\/releases\/current$/, (_req, m) => {
    const current = f.app(m[1])?.releases.find((r) => r.status === 'complete');
    return current ? [200, current] : [404, { error: 'Not Found' }];
  });
  f.on('POST', /^\/api\/v1\/releases$/, (_req, _m, body) => {
    const b = body as { app_name: string; image: string; strategy: string };
    const app = f.app(b.app_name);
    if (!app) return [404, { error: 'Not Found' }];
    return [201, { release: app.createRelease(b.image, b.strategy, 'ops@example.com') }];
  });
  f.on('PATCH', /^\/api\/v1\/releases\/([^/]+)$/, (_req, m, body) => {
    for (const app of f.apps.values()) {
      const r = app.setReleaseStatus(m[1]!, (body as { status: string }).status);
      if (r) return [200, r];
    }
    return [404, { error: 'Not Found' }];
  });

  // Prometheus-compatible metrics
  f.on('GET', /^\/prometheus\/([^/]+)\/api\/v1\/query$/, (_req, m, _b, url) => {
    const org = decodeURIComponent(m[1]!);
    if (!f.metricsOrgs.has(org))
      return [403, { status: 'error', error: 'token cannot read metrics of this org' }];
    const query = url.searchParams.get('query') ?? '';
    const app = [...f.apps.values()].find((a) => query.includes(`app="${a.name}"`));
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
  f.on('POST', /^\/__fake\/registry$/, (_req, _m, body) => {
    const b = body as { image: string; behaviour: ImageBehaviour };
    if (!f.registry.has(b.image)) f.registry.set(b.image, b.behaviour);
    return [200, { ok: true }];
  });
}
