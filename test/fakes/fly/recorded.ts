// Payloads as Fly documents them, for tests that map them: the first machine of superfly/docs
// reference/machines/_machines_list_resp.erb (its id, name, image_ref, instance_id, private_ip,
// times and events verbatim), with the `config` the doc elides filled as flyctl writes it
// (fly-go machine_types.go MachineConfig; metadata from flyctl deploy/machines_launchinput.go)
// and fly-go's `checks`, `host_status` and `cordoned`; the lease body of
// _machines_lease_create_resp.erb; and uiex releases as flyctl internal/uiex/releases.go reads them.

export const documentedMachine = {
  id: 'a5c5de9ce64ca12',
  name: 'aged-wind-2649',
  state: 'started',
  region: 'ord',
  image_ref: {
    registry: 'registry-1.docker.io',
    repository: 'rebelthor/sleep',
    tag: 'latest',
    digest: 'sha256:597c3e12f830132be2aa69b4c0deccb0657ea4253e6d59c6f38e41e9f69a0add',
  },
  instance_id: '1RREBN3T5K95DK9IVP4XHTTPEY2',
  private_ip: 'fdaa:0:18:a7b:196:e274:9ce1:2',
  created_at: '2023-10-31T02:30:10Z',
  updated_at: '2023-10-31T02:35:26Z',
  config: {
    env: { FLY_PROCESS_GROUP: 'app', PRIMARY_REGION: 'ord', LOG_LEVEL: 'info' },
    init: {},
    guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
    metadata: {
      fly_flyctl_version: '0.3.200',
      fly_platform_version: 'v2',
      fly_process_group: 'app',
      fly_release_id: 'Kz8yV0L2xQnDo',
      fly_release_version: '3',
    },
    services: [
      {
        protocol: 'tcp',
        internal_port: 8080,
        autostop: 'stop',
        autostart: true,
        min_machines_running: 0,
        ports: [
          { port: 80, handlers: ['http'], force_https: true },
          { port: 443, handlers: ['http', 'tls'] },
        ],
        checks: [{ type: 'http', port: 8080, path: '/healthz', interval: '10s', timeout: '2s' }],
        concurrency: { type: 'requests', hard_limit: 25, soft_limit: 20 },
      },
    ],
    image: 'registry-1.docker.io/rebelthor/sleep:latest',
  },
  events: [
    { type: 'start', status: 'started', source: 'flyd', timestamp: 1698719726615 },
    { type: 'launch', status: 'created', source: 'user', timestamp: 1698719723203 },
  ],
  checks: [
    {
      name: 'servicecheck-00-http-8080',
      status: 'passing',
      output: 'Success',
      updated_at: '2023-10-31T02:35:40Z',
    },
  ],
  host_status: 'ok',
  cordoned: false,
};

export const documentedLease = {
  status: 'success',
  data: {
    nonce: '5c35f65c9f95',
    expires_at: 1708569778,
    owner: 'hello@fly.io',
    description: '',
    version: '01HQ73A7BFFDF1B6WMGHFZZ4E7',
  },
};

/** A uiex release (`GET /api/v1/apps/{app}/releases`). */
export function release(
  version: number,
  o: { status?: string; image?: string; strategy?: string; user?: string } = {},
) {
  return {
    id: `rel_${version}`,
    version,
    stable: (o.status ?? 'complete') === 'complete',
    in_progress: o.status === 'running',
    status: o.status ?? 'complete',
    strategy: o.strategy ?? 'ROLLING',
    user: o.user ?? 'ops@example.com',
    created_at: `2026-11-30T10:0${version % 10}:00Z`,
    image_ref: o.image ?? `registry.fly.io/shop:deployment-${version}`,
  };
}

/** The documented machine, changed: another id, release, state, checks. */
export function machine(o: {
  id?: string;
  version?: number;
  state?: string;
  checks?: { status: string; output?: string }[] | null;
  cordoned?: boolean;
  host?: string;
  group?: string;
  events?: unknown[];
}) {
  const m = structuredClone(documentedMachine) as typeof documentedMachine & Record<string, unknown>;
  m.id = o.id ?? m.id;
  m.state = o.state ?? m.state;
  m.cordoned = o.cordoned ?? false;
  m.host_status = o.host ?? 'ok';
  m.config.metadata.fly_release_version = String(o.version ?? 3);
  m.config.metadata.fly_process_group = o.group ?? 'app';
  if (o.checks === null) delete (m as Record<string, unknown>).checks;
  else if (o.checks)
    m.checks = o.checks.map((c) => ({
      name: 'servicecheck-00-http-8080',
      status: c.status,
      output: c.output ?? '',
      updated_at: m.updated_at,
    }));
  if (o.events) m.events = o.events as typeof m.events;
  return m;
}
