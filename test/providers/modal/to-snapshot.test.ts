// One look at a Modal app as the engine's Snapshot: versions and their kinds (cutover's records,
// else deploy), containers split old/new by start time against the live version's deploy time,
// the rollout that split implies, inputs from the SDK's stats or "not reported" with the reason.
import { describe, expect, test } from 'vitest';
import type { ModalApp } from '../../../src/providers/modal/parse-apps.ts';
import type { ModalVersion } from '../../../src/providers/modal/parse-history.ts';
import type { StatsResult } from '../../../src/providers/modal/stats-helper.ts';
import type { CommandState } from '../../../src/providers/modal/store.ts';
import { type Observation, sampleOf, toSnapshot } from '../../../src/providers/modal/to-snapshot.ts';

const t0 = Date.parse('2026-11-30T14:00:00Z');
const s = (seconds: number) => t0 + seconds * 1000;

const app: ModalApp = {
  appId: 'ap-1',
  name: 'shop',
  state: 'deployed',
  tasks: 3,
  createdAt: s(-86_400),
  stoppedAt: null,
};
const history: ModalVersion[] = [
  { version: 3, deployedAt: s(0), client: '1.5.4', deployedBy: 'alice', commit: 'abc1234', tag: null },
  { version: 2, deployedAt: s(-3600), client: '1.5.4', deployedBy: 'bob', commit: null, tag: 'r2' },
  { version: 1, deployedAt: s(-7200), client: '1.5.4', deployedBy: 'bob', commit: null, tag: null },
];
const stats: StatsResult = {
  ok: true,
  client: '1.5.4',
  source: 'get_app_objects',
  functions: [{ name: 'web', queued: 4, inFlight: 8, runners: 2, error: null }],
};

function observe(o: Partial<Observation> = {}): Observation {
  return { at: s(30), app, history, containers: [], stats, commands: [], deployed: null, ...o };
}

const rollback: CommandState = {
  id: 'c1',
  kind: 'rollback',
  strategy: 'recreate',
  user: 'carol',
  rollbackOf: 1,
  startedAt: s(-1),
  finished: null,
};

describe('Modal versions', () => {
  test('kinds come from what cutover ran; the rest are deploys; the live version is active', () => {
    const done = { ...rollback, finished: { at: s(5), version: 3, ok: true } };
    const snap = toSnapshot(observe({ commands: [done] }), [], []);
    expect(snap.version).toBe(3);
    expect(snap.history.map((v) => [v.version, v.kind, v.strategy, v.rollbackOf, v.outcome])).toEqual([
      [3, 'rollback', 'recreate', 1, 'active'],
      [2, 'deploy', 'not reported', null, 'superseded'],
      [1, 'deploy', 'not reported', null, 'superseded'],
    ]);
    expect(snap.history[1]).toMatchObject({
      user: 'bob',
      createdAt: s(-3600),
      description: 'client 1.5.4 · tag r2',
    });
    // `modal app rollback shop` with no version goes to the live version − 1.
    expect(snap.rollbackTarget).toBe(2);
  });

  test('a command still running owns the first version deployed after it started', () => {
    const snap = toSnapshot(observe({ commands: [rollback] }), [], []);
    expect(snap.history[0]).toMatchObject({ version: 3, kind: 'rollback', strategy: 'recreate' });
  });

  test('D4: a deploy cutover started with no version since is building', () => {
    const deploy: CommandState = {
      ...rollback,
      kind: 'deploy',
      strategy: 'rolling',
      startedAt: s(20),
      rollbackOf: null,
    };
    expect(toSnapshot(observe({ commands: [deploy] }), [], []).building).toEqual({
      since: s(20),
      user: 'carol',
    });
  });
});

describe('Modal containers, split by start time', () => {
  const containers = [
    { id: 'ta-old1', appId: 'ap-1', appName: 'shop', startedAt: s(-500) },
    { id: 'ta-new1', appId: 'ap-1', appName: 'shop', startedAt: s(12) },
    { id: 'ta-new2', appId: 'ap-1', appName: 'shop', startedAt: null },
  ];

  test('S1: old (started before v3) drain as v2, new run v3, Pending is starting; the rollout says how it knows', () => {
    const snap = toSnapshot(observe({ containers, deployed: { names: ['web'], urls: {} } }), [], []);
    expect(snap.containers.map((c) => [c.id, c.function, c.version, c.state])).toEqual([
      ['ta-old1', 'web', 2, 'draining'],
      ['ta-new1', 'web', 3, 'ready'],
      ['ta-new2', 'web', 3, 'starting'],
    ]);
    expect(snap.rollout).toMatchObject({
      from: 2,
      to: 3,
      kind: 'deploy',
      strategy: 'rolling',
      phase: 'rolling',
      ready: 1,
      target: 3,
    });
    expect(snap.rollout?.message).toMatch(/by start time against v3's deploy/);
    expect(snap.history[0]?.outcome).toBe('rolling');
  });

  test('S2: a recreate cutover runs shows as recreating until a new container is ready', () => {
    const pendingOnly = [{ id: 'ta-new2', appId: 'ap-1', appName: 'shop', startedAt: null }];
    const snap = toSnapshot(observe({ containers: pendingOnly, commands: [rollback] }), [], []);
    expect(snap.rollout).toMatchObject({
      kind: 'rollback',
      strategy: 'recreate',
      phase: 'recreating',
      ready: 0,
    });
    const settled = toSnapshot(observe({ containers: [containers[1]!] }), [], []);
    expect(settled.rollout).toBeNull();
    expect(settled.history[0]?.outcome).toBe('active');
  });

  test('with several functions a container is not attributed to one: Modal does not say which', () => {
    const two: StatsResult = {
      ...stats,
      functions: [
        ...(stats.ok ? stats.functions : []),
        { name: 'worker', queued: 0, inFlight: 0, runners: 1, error: null },
      ],
    };
    const snap = toSnapshot(observe({ containers, stats: two }), [], []);
    expect(new Set(snap.containers.map((c) => c.function))).toEqual(new Set(['all functions']));
    expect(snap.functions.map((f) => [f.name, f.target])).toEqual([
      ['web', 2],
      ['worker', 1],
    ]);
  });
});

describe('Modal inputs', () => {
  test('queued = backlog, in flight = running inputs; what Modal does not report is null', () => {
    const snap = toSnapshot(observe(), [], []);
    expect(snap.inputs).toEqual({
      queued: 4,
      inFlight: 8,
      done: null,
      failed: null,
      donePerSecond: null,
      failedPerSecond: null,
      p50: null,
      p95: null,
    });
    expect(snap.inputsNote).toMatch(/get_current_stats/);
  });

  test('no SDK: every input is "not reported" and the note says why', () => {
    const snap = toSnapshot(
      observe({
        stats: { ok: false, reason: "no Python here can import modal (python3: No module named 'modal')" },
      }),
      [],
      [],
    );
    expect(Object.values(snap.inputs).every((v) => v === null)).toBe(true);
    expect(snap.inputsNote).toBe(
      "not reported: no Python here can import modal (python3: No module named 'modal')",
    );
  });

  test('a client before 1.3.5 reports no running inputs: in flight alone is null', () => {
    const old: StatsResult = {
      ...stats,
      client: '1.2.0',
      functions: [{ name: 'web', queued: 4, inFlight: null, runners: 2, error: null }],
    };
    const snap = toSnapshot(observe({ stats: old }), [], []);
    expect([snap.inputs.queued, snap.inputs.inFlight]).toEqual([4, null]);
    expect(snap.inputsNote).toMatch(/no running inputs \(modal < 1\.3\.5\)/);
  });
});

test('T1: a stopped app keeps its history, has no containers, no active version and no inputs', () => {
  const snap = toSnapshot(observe({ app: { ...app, state: 'stopped', stoppedAt: s(20) } }), [], []);
  expect(snap.status).toBe('stopped');
  expect(snap.containers).toEqual([]);
  expect(snap.rollout).toBeNull();
  expect(snap.history.every((v) => v.outcome === 'superseded')).toBe(true);
  expect([snap.inputs.queued, snap.inputs.inFlight]).toEqual([null, null]);
});

test('M1: a sample counts containers by version and state, with queued and in flight', () => {
  const containers = [
    { id: 'a', appId: 'ap-1', appName: 'shop', startedAt: s(-500) },
    { id: 'b', appId: 'ap-1', appName: 'shop', startedAt: s(10) },
    { id: 'c', appId: 'ap-1', appName: 'shop', startedAt: null },
  ];
  const sample = sampleOf(toSnapshot(observe({ containers }), [], []));
  expect(sample).toMatchObject({
    appId: 'ap-1',
    at: s(30),
    containers: { '2': { draining: 1 }, '3': { ready: 1, starting: 1 } },
    queued: 4,
    inFlight: 8,
  });
});
