// T1 on Fly: every running machine stopped through the Machines API, each under a lease taken and
// released as `fly machine stop` does (flyctl internal/command/machine/stop.go). Fly has no
// stopped app: its proxy starts machines again on the next request where auto-start is on, and
// the reply says so.
import type { CommandReply } from '../../engine/effects.ts';
import type { CommandOptions } from '../../engine/provider.ts';
import { ProviderError } from '../../engine/provider-error.ts';
import type { FlyApi } from './fly-api.ts';
import type { CommandContext } from './fly-commands.ts';
import { configOf, isAppMachine, processGroupOf } from './fly-types.ts';
import { activeRelease } from './release-history.ts';
import type { ReleaseStore } from './release-store.ts';

export async function stopMachines(
  api: FlyApi,
  store: ReleaseStore,
  note: CommandContext['note'],
  app: string,
  options: CommandOptions,
): Promise<CommandReply> {
  const [machines, releases] = await Promise.all([api.listMachines(app), api.releases(app, 5)]);
  const version = activeRelease(releases)?.version ?? releases[0]?.version ?? 0;
  const idle = ['stopped', 'suspended', 'stopping', 'destroyed', 'destroying'];
  const running = machines.filter((m) => isAppMachine(m) && !idle.includes(m.state ?? ''));
  if (running.length === 0) {
    return {
      ok: true,
      app,
      version,
      noop: true,
      rollbackOf: null,
      message: `every machine of ${app} is already stopped`,
      warnings: [],
    };
  }
  const outcomes = await Promise.allSettled(
    running.map(async (m) => {
      const nonce = await api.acquireLease(app, m.id, 30, `cutover stop by ${options.user}`);
      try {
        await api.stopMachine(app, m.id, nonce);
      } finally {
        await api.releaseLease(app, m.id, nonce).catch(() => undefined);
      }
    }),
  );
  const failed = outcomes.flatMap((o, i) =>
    o.status === 'rejected' ? [`${running[i]!.id}: ${(o.reason as Error).message}`] : [],
  );
  const stopped = running.length - failed.length;
  if (stopped > 0) {
    store.setStopped(app, { at: Date.now(), user: options.user });
    note(app, 'info', 'command', `stop by ${options.user}: ${stopped} machines stopped`);
  }
  if (failed.length > 0) {
    const conflict = outcomes.some(
      (o) => o.status === 'rejected' && o.reason instanceof ProviderError && o.reason.code === 'conflict',
    );
    throw new ProviderError(
      conflict ? 'conflict' : 'failed',
      `stopped ${stopped} of ${running.length} machines of ${app}; not stopped: ${failed.join('; ')}`,
    );
  }
  const waking = [
    ...new Set(
      running
        .filter((m) => (configOf(m).services ?? []).some((s) => s.autostart !== false))
        .map(processGroupOf),
    ),
  ];
  const warnings = waking.map(
    (group) =>
      `auto-start is on for ${group}: Fly's proxy starts these machines again on the next request ` +
      '(set auto_start_machines = false in fly.toml and deploy, or fly scale count 0, to keep them down)',
  );
  return {
    ok: true,
    app,
    version,
    noop: false,
    rollbackOf: null,
    message: `stopped ${stopped} machines of ${app}`,
    warnings,
  };
}
