// Issue 13, defect 4: `cutover daemon install` writes a systemd user unit for an ops box where the
// daemon must start at boot. The unit is checked by systemd's own verifier, and its ExecStart is
// run the way systemd runs it: in the foreground, stopped with SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, waitFor } from './cli.ts';
import { containerProcesses, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
const made: string[] = [];
afterEach(async () => {
  await box?.cleanup();
  box = null;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** ExecStart's words, unquoted as systemd does (the unit quotes each path). */
function execStart(unit: string): string[] {
  const line = /^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '';
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1').replaceAll('%%', '%') : m[2]!,
  );
}

describe('daemon install (local platform)', () => {
  it('A1 writes a systemd user unit that systemd accepts; run as systemd runs it, SIGTERM drains and leaves the apps', async () => {
    box = sandbox({ containers: 1 });
    const config = mkdtempSync(join(tmpdir(), 'cutover-config-'));
    made.push(config);
    const installed = await box.ok(['daemon', 'install', '--json'], { env: { XDG_CONFIG_HOME: config } });
    const file = join(config, 'systemd', 'user', 'cutover.service');
    expect(installed.json()).toEqual({ unit: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const unit = readFileSync(file, 'utf8');
    expect(unit).toContain(`Environment="CUTOVER_HOME=${box.home}"`);
    expect(unit).toMatch(/^KillMode=process$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
    expect(execStart(unit)).toEqual([process.execPath, BIN, 'daemon', 'run']);
    execFileSync('systemd-analyze', ['verify', file], { stdio: 'pipe' }); // throws on a bad unit

    // What systemd does: ExecStart in the foreground with the unit's environment.
    const [node, ...args] = execStart(unit);
    const foreground = spawn(node!, args, {
      env: { ...process.env, CUTOVER_HOME: box.home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => foreground.once('exit', (code) => resolve(code)));
    await waitFor(
      'the daemon to serve',
      async () => (await box!.run(['daemon', 'status', '--json'])).json<{ running: boolean }>().running,
    );
    await box.ok(['deploy', box.appDir]);
    const pids = containerProcesses(box.home);
    expect(pids.size).toBe(1);

    // systemctl stop: SIGTERM to the main process only (KillMode=process).
    foreground.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids.values()) expect(processAlive(pid)).toBe(true);
    expect((await box.run(['daemon', 'status', '--json'])).json()).toMatchObject({ running: false });
  });
});
