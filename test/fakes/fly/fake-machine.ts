// A machine, a release and a lease of the HTTP fake, with fly-go's field names
// (machine_types.go `Machine`, `MachineConfig`, `MachineCheckStatus`) and flyctl's uiex `Release`
// (internal/uiex/releases.go), and how Go marshals a machine.
import { createHash, randomBytes } from 'node:crypto';

export interface CheckStatus {
  name: string;
  status: 'passing' | 'warning' | 'critical';
  output: string;
  updated_at: string;
}

export interface MachineConfig {
  image?: string;
  env?: Record<string, string>;
  guest?: { cpu_kind?: string; cpus?: number; memory_mb?: number };
  metadata?: Record<string, string>;
  mounts?: { volume?: string; name?: string; path?: string; size_gb?: number }[];
  services?: {
    protocol?: string;
    internal_port?: number;
    autostop?: string | boolean;
    autostart?: boolean;
    min_machines_running?: number;
    ports?: { port?: number; handlers?: string[]; force_https?: boolean }[];
    checks?: {
      type?: string;
      port?: number;
      path?: string;
      interval?: string;
      timeout?: string;
      grace_period?: string;
      method?: string;
    }[];
    concurrency?: { type?: string; hard_limit?: number; soft_limit?: number };
  }[];
  checks?: Record<
    string,
    { type?: string; port?: number; path?: string; interval?: string; timeout?: string }
  >;
  init?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Machine {
  id: string;
  name: string;
  state: string;
  region: string;
  image_ref: {
    registry?: string;
    repository?: string;
    tag?: string;
    digest?: string;
    labels?: Record<string, string>;
  };
  instance_id: string;
  private_ip: string;
  created_at: string;
  updated_at: string;
  config: MachineConfig;
  events: { type: string; status: string; source: string; timestamp: number }[];
  checks?: CheckStatus[];
  host_status: 'ok' | 'unknown' | 'unreachable';
  cordoned: boolean;
}

export interface Release {
  id: string;
  version: number;
  stable: boolean;
  in_progress: boolean;
  status: string;
  strategy: string;
  user: string;
  created_at: string;
  image_ref: string;
}

export interface Lease {
  nonce: string;
  expires_at: number;
  owner: string;
  description: string;
  version: string;
}

/** How an image behaves once a machine runs it: what its checks report. */
export interface ImageBehaviour {
  checks: 'passing' | 'critical';
  /** The check output while critical (`500 Internal Server Error`). */
  output?: string;
}

/** A machine as fly-go marshals it: struct field order, `omitempty` fields left out when empty. */
export function machineJson(m: Machine): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name,
    state: m.state,
    region: m.region,
    image_ref: m.image_ref,
    instance_id: m.instance_id,
    private_ip: m.private_ip,
    created_at: m.created_at,
    updated_at: m.updated_at,
    config: m.config,
    ...(m.events.length > 0 ? { events: m.events } : {}),
    ...(m.checks && m.checks.length > 0 ? { checks: m.checks } : {}),
    host_status: m.host_status,
    cordoned: m.cordoned,
  };
}

export const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
export const hex = (n: number) => randomBytes(n).toString('hex');
export const ulid = () => `01${randomBytes(12).toString('hex').toUpperCase().slice(0, 24)}`;

/** registry.fly.io/shop:deployment-01J… → its parts, as flaps reports `image_ref`. */
export function imageRefParts(image: string): Machine['image_ref'] {
  const [registry, rest] = image.includes('/')
    ? [image.slice(0, image.indexOf('/')), image.slice(image.indexOf('/') + 1)]
    : ['docker.io', image];
  const [repository, tag] = rest.split(':') as [string, string | undefined];
  const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
  return { registry, repository, ...(tag ? { tag } : {}), digest };
}

/** Every check a config asks for, by the names flaps gives them. */
export function checkNames(config: MachineConfig): string[] {
  const names = Object.keys(config.checks ?? {});
  for (const s of config.services ?? []) {
    (s.checks ?? []).forEach((c, i) => {
      names.push(
        `servicecheck-${String(i).padStart(2, '0')}-${c.type ?? 'tcp'}-${c.port ?? s.internal_port ?? 0}`,
      );
    });
  }
  return names;
}
