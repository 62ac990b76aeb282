// Issue 13, defect 10: the engine's clock is monotonic. A wall-clock step (NTP correcting a
// clock that was far off) must not time out every starting container at once. The step is real
// for the daemon: libfaketime (Debian's faketime) moves its wall clock, not its monotonic one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { firstLine, waitFor } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

let box: Sandbox | null = null;
let clockDir: string | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
  if (clockDir) rmSync(clockDir, { recursive: true, force: true });
  clockDir = null;
});

describe('a wall-clock step (local platform)', () => {
  it('H1 two hours forward while containers start: none times out, the rollout completes', async () => {
    clockDir = mkdtempSync(join(tmpdir(), 'cutover-clock-'));
    const offset = join(clockDir, 'offset');
    writeFileSync(offset, '+0\n');
    // The daemon (started by the first command) inherits this environment; its containers do not.
    const env = {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: offset,
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_CACHE_DURATION: '1',
    };
    box = sandbox({ containers: 2 });
    await box.ok(['deploy', box.appDir], { env });

    box.message('hello from v2');
    box.manifest({ containers: 2, startTimeout: '8s', env: { COLD_START_MS: '4000' } });
    await box.ok(['deploy', box.appDir, '--detach'], { env });
    await waitFor('v2 containers starting', async () => {
      const s = await box!.status();
      return s.containers.some((c) => c.version === 2 && c.state === 'starting') ? s : undefined;
    });
    writeFileSync(offset, '+2h\n'); // NTP steps the wall clock forward

    const waited = await box.run(['wait', 'shop', '--timeout', '60s']);
    expect(waited.code, waited.stdout + waited.stderr).toBe(0);
    const history = await box.history();
    expect(history.map((h) => [h.version, h.outcome])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
    // Not one of them was failed (and replaced) for a start timeout the clock step faked.
    const snapshot = JSON.parse(await firstLine(box.home, ['watch', 'shop', '--json'])) as Snapshot;
    expect(snapshot.events.filter((e) => e.kind === 'container-failed').map((e) => e.message)).toEqual([]);
  });
});
