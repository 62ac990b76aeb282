// Issue 13, defect 2: a record the daemon cannot write must stop it. Its memory would otherwise
// be ahead of its records, and a restart would hand out a version number again (D1). The fault
// is real: a trigger in the real database file makes SQLite refuse to store a version.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type DaemonStatusJson, processAlive, type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

function withDatabase(home: string, sql: string): void {
  const db = new Database(join(home, 'cutover.db'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

describe('a failing store write (local platform)', () => {
  it('D1 stops the daemon: the caller is not told of a version that was never recorded, and numbers never skip', async () => {
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir]);
    const daemon = (await box.ok(['daemon', 'status', '--json'])).json<DaemonStatusJson>();

    withDatabase(
      box.home,
      `CREATE TRIGGER refuse_versions BEFORE INSERT ON versions
       BEGIN SELECT RAISE(ABORT, 'disk I/O error (planted by the test)'); END;`,
    );
    const refused = await box.run(['rollover', 'shop', '--json']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).not.toMatch(/"version": 2/);
    withDatabase(box.home, 'DROP TRIGGER refuse_versions');

    const rolled = await box.ok(['rollover', 'shop', '--json']);
    expect(rolled.json()).toMatchObject({ app: 'shop', version: 2, outcome: 'active' });
    const history = await box.history();
    expect(history.map((h) => [h.version, h.kind, h.outcome])).toEqual([
      [2, 'rollover', 'active'],
      [1, 'deploy', 'superseded'],
    ]);
    // The daemon that could not record v2 is gone; it did not go on with v2 in memory only.
    expect(processAlive(daemon.pid)).toBe(false);
    const now = await box.ok(['daemon', 'status', '--json']);
    expect(now.json<DaemonStatusJson>().pid).not.toBe(daemon.pid);
  });
});
