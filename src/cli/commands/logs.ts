// cutover logs APP [--container ID] [-f] — the output of the app's containers, each line
// prefixed with the container it came from.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, requireApp } from '../args.ts';
import { type CliContext, connectProvider, pathsOf } from '../context.ts';
import { EXIT, UsageError } from '../usage-error.ts';

/** Reads what was appended to a file since `offset`; returns the text and the new offset. */
function readFrom(file: string, offset: number): { text: string; offset: number } {
  if (!existsSync(file)) return { text: '', offset };
  const size = statSync(file).size;
  if (size <= offset) return { text: '', offset: size };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.toString('utf8'), offset: size };
  } finally {
    closeSync(fd);
  }
}

export async function logs(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'logs',
    argv,
    { container: { type: 'string' }, follow: { type: 'boolean', short: 'f', default: false } },
    1,
  );
  const app = requireApp('logs', positionals[0]);
  // A container id names a file in the logs directory: no path may ride along with it.
  if (values.container !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.#_-]*$/.test(values.container)) {
    throw new UsageError(`logs: ${JSON.stringify(values.container)} is not a container id (like shop-web-3)`);
  }
  const dir = pathsOf(ctx).logs;
  const provider = await connectProvider(ctx);
  const offsets = new Map<string, number>();
  const pending = new Map<string, string>();
  const containers = async () => {
    const snapshot = await provider.snapshot(app);
    const ids = snapshot.containers.map((c) => c.id);
    if (values.container !== undefined) {
      if (!ids.includes(values.container) && !existsSync(join(dir, `${values.container}.log`))) {
        throw new UsageError(
          `logs: ${app} has no container ${values.container} (running: ${ids.join(', ') || 'none'})`,
        );
      }
      return [values.container];
    }
    return ids;
  };
  const print = (ids: string[]) => {
    for (const id of ids) {
      const { text, offset } = readFrom(join(dir, `${id}.log`), offsets.get(id) ?? 0);
      offsets.set(id, offset);
      const lines = ((pending.get(id) ?? '') + text).split('\n');
      pending.set(id, lines.pop() ?? '');
      for (const line of lines) ctx.stdout.write(`[${id}] ${line}\n`);
    }
  };
  try {
    print(await containers());
    if (!values.follow) return EXIT.ok;
    let ids = await containers();
    let round = 0;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (++round % 5 === 0) ids = [...new Set([...ids, ...(await containers())])];
      print(ids);
    }
  } finally {
    provider.close();
  }
}
