// The JSON the Machines API and Fly's releases API return, with the field names they use
// (fly-go machine_types.go `Machine`, flaps/flaps_apps.go `App`; flyctl internal/uiex/releases.go
// `Release`). Only the fields cutover reads are typed; everything is optional where Go omits it.

/** One entry of a machine's `checks` (fly-go `MachineCheckStatus`). */
export interface FlyCheckStatus {
  name?: string;
  /** Consul's words: `passing`, `warning`, `critical`. */
  status?: string;
  output?: string;
  updated_at?: string;
}

/** A machine event (`type` launch/start/exit/update/…; `timestamp` in milliseconds). */
export interface FlyMachineEvent {
  type?: string;
  status?: string;
  source?: string;
  timestamp?: number;
  request?: {
    exit_event?: { exit_code?: number; oom_killed?: boolean; requested_stop?: boolean };
    restart_count?: number;
  };
}

export interface FlyMount {
  volume?: string;
  name?: string;
  path?: string;
  size_gb?: number;
}

export interface FlyServiceCheck {
  type?: string;
  port?: number;
  path?: string;
  interval?: string;
  timeout?: string;
  grace_period?: string;
  method?: string;
}

export interface FlyService {
  protocol?: string;
  internal_port?: number;
  autostart?: boolean;
  /** `off`/`stop`/`suspend`, or (older API) a boolean. */
  autostop?: string | boolean;
  min_machines_running?: number;
  ports?: { port?: number; handlers?: string[]; force_https?: boolean }[];
  checks?: FlyServiceCheck[];
  concurrency?: { type?: string; hard_limit?: number; soft_limit?: number };
}

export interface FlyGuest {
  cpu_kind?: string;
  cpus?: number;
  memory_mb?: number;
  gpus?: number;
  gpu_kind?: string;
}

/** fly-go `MachineConfig`: what fly.toml becomes on a machine. */
export interface FlyMachineConfig {
  image?: string;
  env?: Record<string, string>;
  guest?: FlyGuest;
  metadata?: Record<string, string>;
  mounts?: FlyMount[];
  services?: FlyService[];
  checks?: Record<string, FlyServiceCheck>;
  init?: { cmd?: string[]; entrypoint?: string[]; exec?: string[] };
  processes?: unknown[];
  [field: string]: unknown;
}

/** fly-go `Machine`. */
export interface FlyMachine {
  id: string;
  name?: string;
  state?: string;
  region?: string;
  image_ref?: { registry?: string; repository?: string; tag?: string; digest?: string };
  instance_id?: string;
  private_ip?: string;
  created_at?: string;
  updated_at?: string;
  config?: FlyMachineConfig;
  /** Set instead of `config` when the host is not `ok`. */
  incomplete_config?: FlyMachineConfig;
  events?: FlyMachineEvent[];
  checks?: FlyCheckStatus[];
  host_status?: string;
  cordoned?: boolean;
}

/** flaps `App` (GET /v1/apps/{name}). */
export interface FlyApp {
  id?: string;
  name: string;
  status?: string;
  machine_count?: number;
  organization?: { name?: string; slug?: string };
}

/** flyctl internal/uiex `Release` (GET /api/v1/apps/{app}/releases). */
export interface FlyRelease {
  id: string;
  version: number;
  stable?: boolean;
  in_progress?: boolean;
  /** `pending`, `running`, `complete`, `failed`, `interrupted` (deploy/machines.go). */
  status?: string;
  /** `ROLLING`, `CANARY`, `BLUEGREEN`, `IMMEDIATE`, … */
  strategy?: string;
  user?: string;
  created_at?: string;
  image_ref?: string;
}

/** `fly secrets list --json` entries (flyctl internal/command/secrets/list.go). */
export interface FlySecretDigest {
  name: string;
  digest: string;
  status?: string;
}

/** The metadata keys flyctl writes on every machine it deploys (fly-go machine_types.go). */
export const metadataKeys = {
  releaseVersion: 'fly_release_version',
  releaseId: 'fly_release_id',
  processGroup: 'fly_process_group',
  platformVersion: 'fly_platform_version',
  bluegreenTag: 'fly_bluegreen_deployment_tag',
  canary: 'fly_canary',
} as const;

/** The config a machine reports: `incomplete_config` stands in when its host is unreachable. */
export function configOf(machine: FlyMachine): FlyMachineConfig {
  return machine.config ?? machine.incomplete_config ?? {};
}

/** The process group (function) a machine belongs to; flyctl's default is `app`. */
export function processGroupOf(machine: FlyMachine): string {
  const metadata = configOf(machine).metadata ?? {};
  return metadata[metadataKeys.processGroup] || metadata.process_group || 'app';
}

/** The release a machine runs (`fly status` shows it as "Version"), or null. */
export function releaseVersionOf(machine: FlyMachine): number | null {
  const raw = configOf(machine).metadata?.[metadataKeys.releaseVersion];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Machines flyctl runs on the side (release commands, test machines, consoles) are not the app's. */
export function isAppMachine(machine: FlyMachine): boolean {
  const group = processGroupOf(machine);
  return !group.startsWith('fly_app_') && machine.state !== 'destroyed';
}
