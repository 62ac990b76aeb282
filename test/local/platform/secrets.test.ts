// Issue 13, defect 5 (B2): secret values come with the command that needs them, over the
// owner-only socket, whichever shell started the daemon; they are held in memory for the app's
// containers, through a daemon restart, and never written. A secret nobody has a value for
// refuses the deploy, by name, unless the command allows it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './cli.ts';
import { containerProcesses, type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

/** Every file under dir, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((rel) => join(dir, rel))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
}

/** The file's bytes, or null when it went since it was listed (a container's pid file, at its exit). */
function readIfThere(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** What the app's containers answer with, over several requests (each on a fresh connection). */
async function secretsServed(url: string, times = 6): Promise<Set<string | null>> {
  const seen = new Set<string | null>();
  for (let i = 0; i < times; i++) {
    const res = await fetch(url, { headers: { connection: 'close' } });
    seen.add(((await res.json()) as { secret: string | null }).secret);
  }
  return seen;
}

describe('secrets (local platform)', () => {
  it('B2 values come with deploy and rollover, survive a daemon restart, are never written; a missing one refuses by name', async () => {
    box = sandbox({ containers: 2, secrets: ['STRIPE_KEY'], env: { ECHO_SECRET: 'STRIPE_KEY' } });
    // The daemon starts from a shell that has no STRIPE_KEY: values can only come from the CLI.
    await box.ok(['daemon', 'start']);
    const deployed = await box.run(['deploy', box.appDir], { env: { STRIPE_KEY: 'sk_live_first' } });
    expect(deployed.code, deployed.stdout + deployed.stderr).toBe(0);
    const url = (await box.status()).functions[0]!.url!;
    expect(await secretsServed(url)).toEqual(new Set(['sk_live_first']));

    // A restart of the daemon, then a container that dies: its replacement gets the value too.
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();
    process.kill(daemon.pid, 'SIGKILL');
    await waitFor('the daemon to die', () => !processAlive(daemon.pid));
    const [victim, pid] = [...containerProcesses(box.home)][0]!;
    expect((await box.status()).containers).toHaveLength(2); // the new worker adopted both
    process.kill(-pid, 'SIGKILL');
    await waitFor('a replacement', async () => {
      const s = await box!.status();
      return s.containers.length === 2 && s.containers.every((c) => c.state === 'ready' && c.id !== victim);
    });
    expect(await secretsServed(url)).toEqual(new Set(['sk_live_first']));

    // O1: a rotated value reaches every container with a rollover.
    await box.ok(['rollover', 'shop'], { env: { STRIPE_KEY: 'sk_live_second' } });
    expect(await secretsServed(url)).toEqual(new Set(['sk_live_second']));

    // A new secret nobody has a value for: refused, by name, nothing changed.
    const history = await box.history();
    box.manifest({
      containers: 2,
      secrets: ['STRIPE_KEY', 'DB_PASSWORD'],
      env: { ECHO_SECRET: 'STRIPE_KEY' },
    });
    const refused = await box.run(['deploy', box.appDir, '--json']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/expects secret DB_PASSWORD, which is not set/);
    expect(refused.stderr).toMatch(/--allow-missing-secret DB_PASSWORD/);
    expect(refused.json()).toMatchObject({ error: { code: 'missing-secret' } });
    expect(await box.history()).toEqual(history);
    const allowed = await box.run(['deploy', box.appDir, '--allow-missing-secret', 'DB_PASSWORD']);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);

    // Nothing in the state directory holds a value: not the database, not a log.
    for (const file of files(box.home)) {
      const content = readIfThere(file);
      if (content === null) continue;
      expect(content.includes('sk_live_first'), file).toBe(false);
      expect(content.includes('sk_live_second'), file).toBe(false);
    }
  });
});
