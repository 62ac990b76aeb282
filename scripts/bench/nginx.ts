// nginx processes the proxy benchmark runs itself: the reference reverse proxy in front of the
// container. Started in the foreground with a configuration of its own in a scratch directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'nginx');

/** A running nginx: its master's pid, the worker's (the one that does the work) and a stop. */
export interface Nginx {
  port: number;
  workerPid: number;
  stop(): void;
}

/** Starts `conf` (a file in scripts/bench/nginx) with its placeholders filled in. */
export async function startNginx(conf: string, values: Record<string, number>): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-nginx-'));
  let text = readFileSync(join(HERE, conf), 'utf8').replaceAll('__DIR__', dir);
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`__${name}__`, String(value));
  writeFileSync(join(dir, 'nginx.conf'), text);
  const child = spawn(
    'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 500).unref();
  };
  const port = values.PORT!;
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      stop();
      throw new Error(`nginx (${conf}) did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const workerPid = Number(
    readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0],
  );
  return { port, workerPid, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
