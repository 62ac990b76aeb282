// cutover daemon start|stop|status|run [--json]
import { existsSync } from 'node:fs';
import { DaemonClient, startDaemon } from '../../local/daemon/client.ts';
import { runDaemon } from '../../local/daemon/run-daemon.ts';
import { parse } from '../args.ts';
import { type CliContext, pathsOf } from '../context.ts';
import { printJson, println } from '../output.ts';
import { EXIT, UsageError } from '../usage-error.ts';

async function running(ctx: CliContext): Promise<{ running: boolean; pid: number | null; socket: string }> {
  const paths = pathsOf(ctx);
  try {
    const client = await DaemonClient.connect(paths, { start: false, entry: ctx.entry, env: ctx.env });
    const status = await client.request('daemon.status', {});
    client.close();
    return { running: true, pid: status.pid, socket: paths.socket };
  } catch {
    return { running: false, pid: null, socket: paths.socket };
  }
}

export async function daemon(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse('daemon', argv, { json: { type: 'boolean', default: false } }, 1);
  const paths = pathsOf(ctx);
  const action = positionals[0];
  switch (action) {
    case 'run':
      return runDaemon(paths, ctx.env);
    case 'start': {
      const before = await running(ctx);
      if (!before.running) await startDaemon(paths, ctx.entry, ctx.env);
      const after = await running(ctx);
      if (values.json) printJson(ctx, after);
      else println(ctx, before.running ? `already running (pid ${after.pid})` : `started (pid ${after.pid})`);
      return EXIT.ok;
    }
    case 'stop': {
      const before = await running(ctx);
      if (before.running) {
        const client = await DaemonClient.connect(paths, { start: false, entry: ctx.entry, env: ctx.env });
        await client.request('daemon.stop', {}).catch(() => undefined);
        client.close();
        const deadline = Date.now() + 15_000;
        while (existsSync(paths.socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      }
      if (values.json) printJson(ctx, { running: false, pid: null, socket: paths.socket });
      else println(ctx, before.running ? `stopped (pid ${before.pid})` : 'not running');
      return EXIT.ok;
    }
    case 'status': {
      const status = await running(ctx);
      if (values.json) printJson(ctx, status);
      else println(ctx, status.running ? `running (pid ${status.pid}) on ${status.socket}` : 'not running');
      return EXIT.ok;
    }
    default:
      throw new UsageError(
        `daemon: expected start, stop or status${action ? `, got ${JSON.stringify(action)}` : ''}`,
      );
  }
}
