// Issue 3: the --json documents scripts rely on (fields may be added, never renamed), and the
// state directory only its owner can read.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HistoryEntryJson, type Sandbox, type StatusJson, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('--json and the state directory (local platform)', () => {
  it('deploy, rollover, rollback, status, history, apps and daemon status print the documented shapes', async () => {
    box = sandbox({ containers: 2 });
    const user = userInfo().username;

    const deployed = (await box.ok(['deploy', box.appDir, '--detach', '--json'])).json();
    expect(deployed).toEqual({ app: 'shop', version: 1, noop: false });
    await box.ok(['wait', 'shop']);
    // D2: the same spec again is a no-op that says which version runs it.
    const again = (await box.ok(['deploy', box.appDir, '--json'])).json();
    expect(again).toEqual({
      app: 'shop',
      version: 1,
      noop: true,
      outcome: 'active',
      message: 'shop v1 active',
    });

    const rolledOver = (await box.ok(['rollover', 'shop', '--json'])).json();
    expect(rolledOver).toMatchObject({ app: 'shop', version: 2, outcome: 'active' });
    const rolledBack = (await box.ok(['rollback', 'shop', '1', '--detach', '--json'])).json();
    // Fields may be added, never renamed: a rollback also says what it did (a no-op says why).
    expect(rolledBack).toEqual({
      app: 'shop',
      version: 3,
      rollbackOf: 1,
      noop: false,
      message: 'v3 created (rollback to v1)',
    });
    await box.ok(['wait', 'shop']);

    const status = (await box.ok(['status', 'shop', '--json'])).json<StatusJson>();
    expect(status).toMatchObject({
      app: 'shop',
      status: 'deployed',
      version: 3,
      rollout: null,
      functions: [{ name: 'web', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), target: 2 }],
      inputs: { queued: 0, inFlight: 0, done: expect.any(Number), failed: 0 },
    });
    expect(status.containers).toHaveLength(2);
    for (const c of status.containers)
      expect(c).toEqual({
        id: expect.any(String),
        function: 'web',
        version: expect.any(Number),
        state: 'ready',
        // Where the platform says why a container is not ready, and how often it restarted.
        reason: null,
        restarts: 0,
      });

    const history = (await box.ok(['history', 'shop', '--json'])).json<HistoryEntryJson[]>();
    expect(history.map((h) => h.version)).toEqual([3, 2, 1]);
    for (const h of history) {
      expect(h).toEqual({
        version: expect.any(Number),
        kind: expect.stringMatching(/^(deploy|rollover|rollback)$/),
        strategy: 'rolling',
        user,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        outcome: expect.stringMatching(/^(active|superseded)$/),
        rollbackOf: h.version === 3 ? 1 : null,
        image: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        specHash: expect.any(String),
      });
    }
    expect(history.map((h) => h.kind)).toEqual(['rollback', 'rollover', 'deploy']);
    expect(new Set(history.map((h) => h.image)).size).toBe(1);

    const apps = (await box.ok(['apps', '--json'])).json();
    expect(apps).toEqual([{ app: 'shop', appId: 'shop', status: 'deployed', version: 3 }]);

    const daemon = (await box.ok(['daemon', 'status', '--json'])).json();
    expect(daemon).toEqual({
      running: true,
      pid: expect.any(Number),
      supervisor: expect.any(Number),
      socket: join(box.home, 'daemon.sock'),
    });
    const stopped = (await box.ok(['daemon', 'stop', '--json'])).json();
    expect(stopped).toEqual({
      running: false,
      pid: null,
      supervisor: null,
      socket: join(box.home, 'daemon.sock'),
    });
    expect((await box.ok(['daemon', 'status', '--json'])).json()).toEqual(stopped);
  });

  it('the state directory is 0700, the socket and the database 0600, images and logs 0700', async () => {
    box = sandbox({ containers: 2 });
    // mkdtemp makes it 0700 already; a wider one must be narrowed.
    chmodSync(box.home, 0o755);
    await box.ok(['deploy', box.appDir]);
    expect(mode(box.home).toString(8)).toBe('700');
    expect(mode(join(box.home, 'daemon.sock')).toString(8)).toBe('600');
    expect(mode(join(box.home, 'cutover.db')).toString(8)).toBe('600');
    expect(mode(join(box.home, 'images')).toString(8)).toBe('700');
    expect(mode(join(box.home, 'logs')).toString(8)).toBe('700');
    for (const file of ['cutover.db-wal', 'cutover.db-shm'].filter((f) => existsSync(join(box!.home, f))))
      expect(mode(join(box.home, file)).toString(8), file).toBe('600');
    for (const file of ['daemon.pid', 'daemon.log', 'secret.key'])
      expect(mode(join(box.home, file)).toString(8), file).toBe('600');
    const { containers } = await box.status();
    for (const c of containers) expect(mode(join(box.home, 'logs', `${c.id}.log`)).toString(8)).toBe('600');
  });
});
