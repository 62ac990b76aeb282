// The local platform's container output: each container's stdout and stderr go to
// `logs/<container>.log` in the state directory; this reads them as the Provider's `logs`.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine, LogOptions } from '../engine/provider.ts';
import { ProviderError } from '../engine/provider-error.ts';
import type { Snapshot } from '../engine/snapshot.ts';

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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The output of an app's containers (or one), oldest first; with `follow`, until `signal`. */
export async function* followContainerLogs(
  dir: string,
  snapshot: () => Promise<Snapshot>,
  app: string,
  options: LogOptions,
): AsyncGenerator<LogLine> {
  // A container id names a file in the logs directory: no path may ride along with it.
  if (options.container !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.#_-]*$/.test(options.container)) {
    throw new ProviderError(
      'usage',
      `${JSON.stringify(options.container)} is not a container id (like shop-web-3)`,
    );
  }
  const containers = async (): Promise<string[]> => {
    const ids = (await snapshot()).containers.map((c) => c.id);
    if (options.container === undefined) return ids;
    if (!ids.includes(options.container) && !existsSync(join(dir, `${options.container}.log`))) {
      throw new ProviderError(
        'not-found',
        `${app} has no container ${options.container} (running: ${ids.join(', ') || 'none'})`,
      );
    }
    return [options.container];
  };
  const offsets = new Map<string, number>();
  const pending = new Map<string, string>();
  function* read(ids: string[], first: boolean): Generator<LogLine> {
    for (const id of ids) {
      const { text, offset } = readFrom(join(dir, `${id}.log`), offsets.get(id) ?? 0);
      offsets.set(id, offset);
      const lines = ((pending.get(id) ?? '') + text).split('\n');
      pending.set(id, lines.pop() ?? '');
      const shown = first && options.tail !== undefined ? lines.slice(-options.tail) : lines;
      for (const line of shown) yield { container: id, text: line };
    }
  }
  let ids = await containers();
  yield* read(ids, true);
  let round = 0;
  while (options.follow && !options.signal?.aborted) {
    await sleep(200, options.signal);
    if (++round % 5 === 0) {
      const now = await containers();
      const fresh = now.filter((id) => !offsets.has(id));
      ids = [...new Set([...ids, ...now])];
      yield* read(fresh, true);
    }
    yield* read(ids, false);
  }
}
