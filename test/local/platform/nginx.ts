// A real nginx as an app's containers (Debian's nginx-light, see .ci/install-test-deps), and how
// a test finds its processes: by their executable and working directory, which nginx keeps,
// never by their title or environment, which it overwrites.
import { cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from './sandbox.ts';

const NGINX_APP = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'nginx-app');

/** Replaces the sandbox's app with the nginx app: `containers` nginx masters, one worker each. */
export function useNginxApp(box: Sandbox, o: { app?: string; containers?: number } = {}): void {
  for (const entry of readdirSync(box.appDir))
    rmSync(join(box.appDir, entry), { recursive: true, force: true });
  cpSync(NGINX_APP, box.appDir, { recursive: true });
  const run = join(box.home, 'nginx-run');
  mkdirSync(run, { recursive: true, mode: 0o755 });
  writeFileSync(
    join(box.appDir, 'cutover.toml'),
    [
      `app = "${o.app ?? 'edge'}"`,
      '',
      '[[functions]]',
      'name = "web"',
      'command = ["sh", "start.sh"]',
      `containers = ${o.containers ?? 2}`,
      'concurrency = 64',
      'ready = "/healthz"',
      'drain_timeout = "5s"',
      'start_timeout = "10s"',
      'max_surge = 1',
      '',
      '[env]',
      `NGINX_RUN = ${JSON.stringify(run)}`,
      '',
    ].join('\n'),
  );
}

/** One nginx process of this state directory. */
export interface NginxProcess {
  pid: number;
  /** Its process group: a master leads its own; its workers share it. */
  pgrp: number;
}

/** Every live nginx process running in one of this state directory's images. */
export function nginxProcesses(home: string): NginxProcess[] {
  const images = `${join(home, 'images')}/`;
  const found: NginxProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readlinkSync(`/proc/${entry}/exe`).endsWith('/nginx')) continue;
      if (!readlinkSync(`/proc/${entry}/cwd`).startsWith(images)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({ pid: Number(entry), pgrp: Number(fields[2]) });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The nginx masters: the processes leading their own group (one per container). */
export function nginxMasters(home: string): number[] {
  return nginxProcesses(home)
    .filter((p) => p.pid === p.pgrp)
    .map((p) => p.pid)
    .sort((a, b) => a - b);
}
