// fly.toml → the machine config of each process group, the way flyctl's appconfig builds it
// (internal/appconfig/machines.go ToMachineConfig, definition.go): [env] plus FLY_PROCESS_GROUP
// and PRIMARY_REGION, [http_service] and [[services]] as services, [checks] as top-level checks,
// [[vm]] as the guest, [mounts] as mounts. A subset: enough for the tests' apps.
import { parse } from 'smol-toml';

const duration = (v) => (v === undefined ? undefined : String(v));

function checkOf(c) {
  return Object.fromEntries(
    Object.entries({
      type: c.type,
      port: c.port,
      path: c.path,
      method: c.method,
      interval: duration(c.interval),
      timeout: duration(c.timeout),
      grace_period: duration(c.grace_period),
    }).filter(([, v]) => v !== undefined),
  );
}

function httpService(s) {
  return {
    protocol: 'tcp',
    internal_port: s.internal_port ?? 8080,
    autostop: s.auto_stop_machines ?? 'off',
    autostart: s.auto_start_machines ?? true,
    min_machines_running: s.min_machines_running ?? 0,
    ports: [
      { port: 80, handlers: ['http'], force_https: s.force_https ?? false },
      { port: 443, handlers: ['http', 'tls'] },
    ],
    ...(s.checks
      ? { checks: s.checks.map((c) => ({ type: 'http', port: s.internal_port ?? 8080, ...checkOf(c) })) }
      : {}),
    ...(s.concurrency ? { concurrency: s.concurrency } : {}),
    processes: s.processes,
  };
}

function service(s) {
  return {
    protocol: s.protocol ?? 'tcp',
    internal_port: s.internal_port,
    autostop: s.auto_stop_machines ?? 'off',
    autostart: s.auto_start_machines ?? true,
    ports: (s.ports ?? []).map((p) => ({ port: p.port, handlers: p.handlers ?? [] })),
    ...(s.http_checks || s.tcp_checks
      ? {
          checks: [
            ...(s.tcp_checks ?? []).map((c) => ({ type: 'tcp', port: s.internal_port, ...checkOf(c) })),
            ...(s.http_checks ?? []).map((c) => ({ type: 'http', port: s.internal_port, ...checkOf(c) })),
          ],
        }
      : {}),
    ...(s.concurrency ? { concurrency: s.concurrency } : {}),
    processes: s.processes,
  };
}

function guestOf(vm) {
  if (!vm) return { cpu_kind: 'shared', cpus: 1, memory_mb: 256 };
  const size = vm.size ?? 'shared-cpu-1x';
  const [kind, , count] = size.split('-');
  const memory = vm.memory ? Number.parseInt(String(vm.memory), 10) : (vm.memory_mb ?? 256);
  return {
    cpu_kind: vm.cpu_kind ?? kind,
    cpus: vm.cpus ?? Number.parseInt(count, 10) ?? 1,
    memory_mb: memory,
  };
}

/** `{ app, strategy, groups: { app: MachineConfig } }` from fly.toml text. */
export function fromFlyToml(text) {
  const doc = parse(text);
  const groups = doc.processes ? Object.keys(doc.processes) : ['app'];
  const region = doc.primary_region ?? 'ord';
  const services = [
    ...(doc.http_service ? [httpService(doc.http_service)] : []),
    ...(doc.services ?? []).map(service),
  ];
  const vm = Array.isArray(doc.vm) ? doc.vm[0] : doc.vm;
  const mounts = doc.mounts ? (Array.isArray(doc.mounts) ? doc.mounts : [doc.mounts]) : [];
  const configs = {};
  for (const group of groups) {
    configs[group] = {
      env: { ...(doc.env ?? {}), FLY_PROCESS_GROUP: group, PRIMARY_REGION: region },
      init: doc.processes ? { cmd: String(doc.processes[group]).split(' ') } : {},
      guest: guestOf(vm),
      ...(mounts.length > 0
        ? {
            mounts: mounts.map((m) => ({
              volume: `vol_${m.source}`,
              name: m.source,
              path: m.destination,
              size_gb: 1,
            })),
          }
        : {}),
      services: services
        .filter((s) => !s.processes || s.processes.includes(group))
        .map(({ processes, ...s }) => s),
      ...(doc.checks
        ? { checks: Object.fromEntries(Object.entries(doc.checks).map(([k, c]) => [k, checkOf(c)])) }
        : {}),
    };
  }
  return { app: doc.app, region, strategy: doc.deploy?.strategy, groups: configs };
}
