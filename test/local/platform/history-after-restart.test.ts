// Issue 13, defect 9 (M1): the events and the chart are read back when the daemon starts again,
// so the screen after a restart shows what happened before it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../src/engine/snapshot.ts';
import { firstLine } from './cli.ts';
import { type Sandbox, sandbox } from './sandbox.ts';

let box: Sandbox | null = null;
afterEach(async () => {
  await box?.cleanup();
  box = null;
});

describe('after a daemon restart (local platform)', () => {
  it('M1 the events and the metrics from before the restart are on the screen again', async () => {
    box = sandbox({ containers: 1 });
    await box.ok(['deploy', box.appDir]);
    await new Promise((r) => setTimeout(r, 3_000)); // a few per-second samples
    await box.ok(['daemon', 'stop']);
    const stoppedAt = Date.now();

    const snapshot = JSON.parse(await firstLine(box.home, ['watch', 'shop', '--json'])) as Snapshot;
    expect(snapshot.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['rollout-started', 'container-ready', 'rollout-done', 'restored']),
    );
    const before = snapshot.metrics.filter((m) => m.at < stoppedAt);
    expect(before.length).toBeGreaterThanOrEqual(2);
  });
});
