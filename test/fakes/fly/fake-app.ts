// One Fly app inside the HTTP fake: its machines moving through the states the docs list
// (superfly/docs machines/machine-states.html.markerb) on timers, its releases as api.fly.io
// keeps them (flyctl internal/uiex/releases.go), its secrets' digests and its machines' leases.
// Machine JSON keeps fly-go's field order and omitempty rules (machine_types.go `Machine`), so
// `fly machines list --json` from the fake `fly` prints what Go would (fake-machine.ts).
import { createHash } from 'node:crypto';
import {
  checkNames,
  hex,
  type ImageBehaviour,
  imageRefParts,
  iso,
  type Lease,
  type Machine,
  type MachineConfig,
  type Release,
  ulid,
} from './fake-machine.ts';

export type { ImageBehaviour, Machine, MachineConfig, Release } from './fake-machine.ts';

export class FakeApp {
  readonly machines = new Map<string, Machine>();
  readonly releases: Release[] = [];
  readonly secrets = new Map<string, { digest: string; updated_at: string }>();
  readonly leases = new Map<string, Lease>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly name: string,
    readonly org: string,
    readonly id: string,
    private readonly stepMs: () => number,
    private readonly behaviour: (image: string) => ImageBehaviour,
  ) {}

  private later(fn: () => void, steps = 1): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, this.stepMs() * steps);
    this.timers.add(t);
  }

  private event(m: Machine, type: string, status: string, source = 'flyd'): void {
    m.events.unshift({ type, status, source, timestamp: Date.now() });
    m.events.splice(10);
    m.updated_at = iso();
  }

  private run(m: Machine, from: string): void {
    const instance = m.instance_id;
    m.state = from;
    m.checks = undefined;
    const alive = () => this.machines.get(m.id) === m && m.instance_id === instance;
    this.later(() => {
      if (!alive()) return;
      m.state = 'starting';
      this.later(() => {
        if (!alive()) return;
        m.state = 'started';
        this.event(m, 'start', 'started');
        const names = checkNames(m.config);
        if (names.length === 0) return;
        this.later(() => {
          if (!alive() || m.state !== 'started') return;
          const b = this.behaviour(m.config.image ?? '');
          m.checks = names.map((name) => ({
            name,
            status: b.checks,
            output: b.checks === 'passing' ? 'Success' : (b.output ?? 'connection refused'),
            updated_at: iso(),
          }));
        });
      });
    });
  }

  launch(input: {
    config: MachineConfig;
    region?: string;
    name?: string;
    skip_service_registration?: boolean;
  }): Machine {
    const id = hex(7);
    const m: Machine = {
      id,
      name:
        input.name ??
        `${['aged', 'summer', 'quiet', 'bold'][this.machines.size % 4]}-${['wind', 'sun', 'sea', 'hill'][id.charCodeAt(0) % 4]}-${id.slice(0, 4)}`,
      state: 'created',
      region: input.region ?? 'ord',
      image_ref: imageRefParts(input.config.image ?? ''),
      instance_id: ulid(),
      private_ip: `fdaa:0:18:a7b:196:${id.slice(0, 4)}:${id.slice(4, 8)}:2`,
      created_at: iso(),
      updated_at: iso(),
      config: structuredClone(input.config),
      events: [],
      host_status: 'ok',
      cordoned: input.skip_service_registration === true,
    };
    this.event(m, 'launch', 'created', 'user');
    this.machines.set(id, m);
    this.run(m, 'created');
    return m;
  }

  /** A stopped machine updated with `skip_launch` stays stopped (flyctl shouldSkipLaunch). */
  update(m: Machine, config: MachineConfig, skipLaunch = false): Machine {
    m.config = structuredClone(config);
    m.image_ref = imageRefParts(config.image ?? '');
    m.instance_id = ulid();
    this.event(m, 'update', 'replacing', 'user');
    if (skipLaunch && m.state === 'stopped') return m;
    this.run(m, 'replacing');
    return m;
  }

  start(m: Machine): string {
    const previous = m.state;
    m.instance_id = m.instance_id || ulid();
    this.run(m, 'starting');
    return previous;
  }

  stop(m: Machine): void {
    m.state = 'stopping';
    m.checks = undefined;
    const instance = m.instance_id;
    this.later(() => {
      if (this.machines.get(m.id) !== m || m.instance_id !== instance) return;
      m.state = 'stopped';
      this.event(m, 'exit', 'stopped');
    });
  }

  destroy(m: Machine): void {
    m.state = 'destroying';
    this.later(() => {
      m.state = 'destroyed';
      this.machines.delete(m.id);
      this.leases.delete(m.id);
    });
  }

  /** The lease on a machine, if one is held and not expired. */
  lease(id: string): Lease | null {
    const l = this.leases.get(id);
    if (!l || l.expires_at * 1000 < Date.now()) return null;
    return l;
  }

  acquire(id: string, ttl: number, owner: string, description: string): Lease | null {
    if (this.lease(id)) return null;
    const lease = {
      nonce: hex(6),
      expires_at: Math.floor(Date.now() / 1000) + ttl,
      owner,
      description,
      version: ulid(),
    };
    this.leases.set(id, lease);
    return lease;
  }

  createRelease(image: string, strategy: string, user: string): Release {
    const version = (this.releases[0]?.version ?? 0) + 1;
    const release: Release = {
      id: hex(8),
      version,
      stable: false,
      in_progress: true,
      status: 'pending',
      strategy: strategy || 'ROLLING',
      user,
      created_at: iso(),
      image_ref: image,
    };
    this.releases.unshift(release);
    return release;
  }

  setReleaseStatus(id: string, status: string): Release | null {
    const r = this.releases.find((x) => x.id === id);
    if (!r) return null;
    r.status = status;
    r.in_progress = status === 'running' || status === 'pending';
    r.stable = status === 'complete';
    return r;
  }

  setSecret(name: string, value: string): void {
    this.secrets.set(name, {
      digest: createHash('sha256').update(value).digest('hex').slice(0, 16),
      updated_at: iso(),
    });
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
