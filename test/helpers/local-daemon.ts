// A real local platform inside the test process: the daemon's runtime, its socket, and a
// provider talking to it, with a one-container app already deployed. Nothing here is a fake.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandReply } from '../../src/engine/effects.ts';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import { DaemonClient } from '../../src/local/daemon/client.ts';
import { LocalRuntime } from '../../src/local/daemon/local-runtime.ts';
import { type DaemonServer, serve } from '../../src/local/daemon/server.ts';
import { LocalProvider } from '../../src/local/local-provider.ts';
import { statePaths } from '../../src/local/paths.ts';

export interface LocalDaemon {
  app: string;
  appDir: string;
  provider: LocalProvider;
  /** Changes the app's files and deploys them, waiting until the new version is active. */
  deployNext(): Promise<CommandReply>;
  /** Polls snapshots until `ok` holds (10 s at most). */
  until(ok: (s: Snapshot) => boolean): Promise<Snapshot>;
  /** Closes the daemon's socket (every connection drops) and, after `downMs`, listens again. */
  restartSocket(downMs: number): Promise<void>;
  /** Stops the daemon's runtime (its containers, proxies, socket) and removes its state. */
  stop(): Promise<void>;
}

export async function startLocalDaemon(): Promise<LocalDaemon> {
  const home = mkdtempSync(join(tmpdir(), 'cutover-test-'));
  const paths = statePaths(home);
  const runtime = await LocalRuntime.start({ paths, env: process.env });
  let server: DaemonServer | null = await serve(runtime, paths.socket, () => undefined);
  const client = await DaemonClient.connect(paths, { start: false, entry: '', env: process.env });
  const provider = new LocalProvider(client);
  const appDir = join(home, 'app');
  cpSync(new URL('./fixtures/tiny-app', import.meta.url), appDir, { recursive: true });
  let edition = 0;

  const until = async (ok: (s: Snapshot) => boolean): Promise<Snapshot> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const snapshot = await provider.snapshot('tiny');
      if (ok(snapshot)) return snapshot;
      if (Date.now() > deadline)
        throw new Error(`timed out; last snapshot: ${JSON.stringify(snapshot).slice(0, 400)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const deploy = async (): Promise<CommandReply> => {
    const reply = await provider.deploy({ path: appDir }, { user: 'ana' });
    if (!reply.ok) throw new Error(reply.message);
    await until((s) => s.version === reply.version && s.rollout === null);
    return reply;
  };
  await deploy();

  return {
    app: 'tiny',
    appDir,
    provider,
    until,
    deployNext() {
      writeFileSync(join(appDir, 'message.txt'), `edition ${++edition}\n`);
      return deploy();
    },
    async restartSocket(downMs) {
      server?.close();
      await new Promise((r) => setTimeout(r, downMs));
      server = await serve(runtime, paths.socket, () => undefined);
    },
    async stop() {
      provider.close();
      server?.close();
      server = null;
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
