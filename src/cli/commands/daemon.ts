// cutover daemon start|stop [--apps]|status|install [--json]; `run` (the supervisor) and `worker`
// are what the CLI and systemd start, not for people.

import { DaemonClient, startDaemon } from '../../local/daemon/client.ts';
import { alive, lockHolder } from '../../local/daemon/daemon-lock.ts';
import { runDaemon, runWorker } from '../../local/daemon/run-daemon.ts';
import { parse } from '../args.ts';
import { type CliContext, pathsOf } from '../context.ts';
import { printJson, println } from '../output.ts';
import { EXIT, OperationError, UsageError } from '../usage-error.ts';
import { installService } from './daemon-install.ts';

// A stopping daemon drains for up to 10 s, then stops its apps if asked (2 s grace each).
const STOP_TIMEOUT_MS = 60_000;

interface DaemonState {
  running: boolean;
  /** The worker serving requests. */
  pid: number | null;
  /** The supervisor holding the sockets and restarting the worker (A1). */
  supervisor: number | null;
  socket: string;
}

async function running(ctx: CliContext): Promise<DaemonState> {
  const paths = pathsOf(ctx);
  try {
    const client = await DaemonClient.connect(paths, { start: false, entry: ctx.entry, env: ctx.env });
    const status = await client.request('daemon.status', {});
    client.close();
    return { running: true, pid: status.pid, supervisor: status.supervisor, socket: paths.socket };
  } catch {
    return { running: false, pid: null, supervisor: lockHolder(paths), socket: paths.socket };
  }
}

/** Asks the daemon to stop and returns once its supervisor has exited: the next command never races it. */
async function stop(ctx: CliContext, apps: boolean): Promise<DaemonState> {
  const paths = pathsOf(ctx);
  const before = await running(ctx);
  const supervisor = before.supervisor ?? lockHolder(paths);
  if (before.running) {
    const client = await DaemonClient.connect(paths, { start: false, entry: ctx.entry, env: ctx.env });
    await client.request('daemon.stop', { apps }).catch(() => undefined);
    client.close();
  } else if (supervisor !== null) {
    process.kill(supervisor, 'SIGTERM'); // a supervisor whose worker is not serving (yet)
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  const gone = () =>
    (supervisor === null || !alive(supervisor)) && (before.pid === null || !alive(before.pid));
  while (!gone()) {
    if (Date.now() > deadline)
      throw new OperationError(`daemon stop: the daemon (pid ${supervisor}) did not exit`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return before;
}

export async function daemon(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'daemon',
    argv,
    { json: { type: 'boolean', default: false }, apps: { type: 'boolean', default: false } },
    1,
  );
  const paths = pathsOf(ctx);
  const action = positionals[0];
  switch (action) {
    case 'run':
      return runDaemon(paths, ctx.env, ctx.entry);
    case 'worker':
      return runWorker(paths, ctx.env);
    case 'start': {
      const before = await running(ctx);
      if (!before.running) await startDaemon(paths, ctx.entry, ctx.env);
      const after = await running(ctx);
      if (values.json) printJson(ctx, after);
      else println(ctx, before.running ? `already running (pid ${after.pid})` : `started (pid ${after.pid})`);
      return EXIT.ok;
    }
    case 'stop': {
      const before = await stop(ctx, values.apps);
      const was = before.supervisor ?? before.pid;
      if (values.json) printJson(ctx, { running: false, pid: null, supervisor: null, socket: paths.socket });
      else if (was === null) println(ctx, 'not running');
      else println(ctx, `stopped (pid ${was})${values.apps ? ' with its apps' : '; the apps keep running'}`);
      return EXIT.ok;
    }
    case 'status': {
      const status = await running(ctx);
      if (values.json) printJson(ctx, status);
      else
        println(
          ctx,
          status.running
            ? `running (pid ${status.pid}, supervisor ${status.supervisor ?? '-'}) on ${status.socket}`
            : 'not running',
        );
      return EXIT.ok;
    }
    case 'install':
      return installService(ctx, paths, values.json);
    default:
      throw new UsageError(
        `daemon: expected start, stop, status or install${action ? `, got ${JSON.stringify(action)}` : ''}`,
      );
  }
}
