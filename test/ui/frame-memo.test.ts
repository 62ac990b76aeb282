// A second's frame reuses what did not change: snapshots that differ only in their metrics keep
// the last one's objects, and frames drawn with the memo are the frames drawn without it.
import { describe, expect, test } from 'vitest';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import { FrameMemo } from '../../src/ui/present/frame-memo.ts';
import { lineText } from '../../src/ui/present/line.ts';
import { watchFrame } from '../../src/ui/present/watch-frame.ts';
import { initialScreenState, type ScreenState } from '../../src/ui/route-key.ts';
import { shareUnchanged } from '../../src/ui/snapshot-sharing.ts';
import { allCapabilities, busy, containers, metrics, now, rolling } from './fixtures.ts';

/** `base` one second later: a new metric sample, everything else equal but new objects. */
function nextSecond(base: Snapshot, seconds: number): Snapshot {
  const copy = JSON.parse(JSON.stringify(base)) as Snapshot;
  const sample = { ...copy.metrics.at(-1)!, at: now + seconds * 1000 };
  return { ...copy, metrics: [...copy.metrics.slice(1), sample], at: now + seconds * 1000 };
}

describe('shareUnchanged', () => {
  test('only the time differs: nothing changed, and every field is the last snapshot’s object', () => {
    const first = busy();
    const { snapshot, changed } = shareUnchanged(first, {
      ...JSON.parse(JSON.stringify(first)),
      at: now + 5,
    });
    expect(changed).toBe(false);
    expect(snapshot.containers).toBe(first.containers);
    expect(snapshot.metrics).toBe(first.metrics);
    expect(snapshot.at).toBe(now + 5);
  });

  test('a new metric sample: changed, new metrics, the same containers and history', () => {
    const first = busy();
    const { snapshot, changed } = shareUnchanged(first, nextSecond(first, 1));
    expect(changed).toBe(true);
    expect(snapshot.metrics).not.toBe(first.metrics);
    expect(snapshot.metrics.at(-1)!.at).toBe(now + 1000);
    expect(snapshot.containers).toBe(first.containers);
    expect(snapshot.history).toBe(first.history);
  });

  test('a container that changed state: changed, and the containers are the new ones', () => {
    const first = rolling();
    const next = {
      ...first,
      containers: [...first.containers.slice(1), ...containers('web', 8, 'ready', 1, 9)],
    };
    const { snapshot, changed } = shareUnchanged(first, JSON.parse(JSON.stringify(next)));
    expect(changed).toBe(true);
    expect(snapshot.containers).toEqual(next.containers);
    expect(snapshot.events).toBe(first.events);
  });

  test('the last sample rewritten in place (same time, new values) is a change', () => {
    const first = rolling({ metrics: metrics(5) });
    const rewritten = JSON.parse(JSON.stringify(first)) as Snapshot;
    rewritten.metrics.at(-1)!.queued = 9;
    expect(shareUnchanged(first, rewritten).changed).toBe(true);
  });
});

describe('FrameMemo', () => {
  const frame = (snapshot: Snapshot, at: number, state: ScreenState, memo?: FrameMemo) =>
    watchFrame({
      snapshot,
      size: { columns: 100, rows: 40 },
      now: at,
      context: { snapshot, capabilities: allCapabilities, deployDir: '/srv/shop' },
      state,
      status: null,
      stale: null,
      logs: null,
      failureOutput: null,
      deployDir: '/srv/shop',
      ...(memo === undefined ? {} : { memo }),
    }).lines.map(lineText);

  test('frames drawn with the memo, second after second, are the frames drawn without it', () => {
    const memo = new FrameMemo();
    // Containers a few seconds old: their ages change every second, the containers do not.
    const young = busy().containers.map((c) => ({ ...c, startedAt: now - 5_000 }));
    let shown: Snapshot = { ...busy(), containers: young };
    const states: ScreenState[] = [
      initialScreenState,
      { ...initialScreenState, focus: 'events', eventsBack: 2 },
      { ...initialScreenState, showHistory: true, cursor: { index: 3, id: null, top: 1 } },
    ];
    for (let second = 1; second <= 90; second++) {
      const at = now + second * 1000 + 300;
      // Containers start (their ages move) every 30 seconds; metrics every second.
      let next = nextSecond(shown, second);
      if (second % 30 === 0) {
        const started = containers('web', 8, 'starting', 2, second).map((c) => ({
          ...c,
          startedAt: at - 2_000,
        }));
        next = { ...next, containers: [...young, ...started] };
      }
      shown = shareUnchanged(shown, next).snapshot;
      const state = states[Math.floor(second / 10) % states.length]!;
      expect(frame(shown, at, state, memo)).toEqual(frame(shown, at, state));
    }
  });
});
