import './force-color.ts';
import { describe, expect, test } from 'vitest';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import type { MetricSample } from '../../src/engine/types.ts';
import { chartLines } from '../../src/ui/present/chart.ts';
import { containerLines, sideText } from '../../src/ui/present/containers.ts';
import { eventLine } from '../../src/ui/present/events.ts';
import { footerLine } from '../../src/ui/present/footer.ts';
import { age } from '../../src/ui/present/format.ts';
import { bannerLines, headerLine } from '../../src/ui/present/header.ts';
import { historyColumnsFor, historyRows } from '../../src/ui/present/history.ts';
import { inputLines } from '../../src/ui/present/inputs.ts';
import { layoutHeight, planLayout } from '../../src/ui/present/layout.ts';
import { lineText } from '../../src/ui/present/line.ts';
import { plainLine } from '../../src/ui/present/plain.ts';
import { replyText } from '../../src/ui/present/reply.ts';
import { rollbackTargets } from '../../src/ui/present/rollback-targets.ts';
import { timelineLine } from '../../src/ui/present/timeline.ts';
import { tooSmallLines } from '../../src/ui/present/too-small.ts';
import {
  allCapabilities,
  containers,
  event,
  metrics,
  noInputs,
  now,
  rolling,
  snapshot,
  version,
  without,
} from './fixtures.ts';

describe('header', () => {
  test.each<[string, Snapshot, string]>([
    ['steady', snapshot(), 'shop · local · v7 · steady · strategy rolling'],
    ['rolling', rolling(), 'shop · local · v7 · v7 → v8 rolling 3/5 ready · strategy rolling'],
    [
      'a rollback recreating',
      snapshot({
        strategy: 'recreate',
        rollout: {
          from: 8,
          to: 9,
          kind: 'rollback',
          strategy: 'recreate',
          phase: 'recreating',
          ready: 0,
          target: 3,
          startedAt: now,
        },
      }),
      'shop · local · v7 · v8 → v9 recreating 0/3 ready (rollback) · strategy recreate',
    ],
    [
      'first deploy',
      snapshot({
        version: null,
        rollout: {
          from: null,
          to: 1,
          kind: 'deploy',
          strategy: 'rolling',
          phase: 'starting',
          ready: 0,
          target: 2,
          startedAt: now,
        },
      }),
      'shop · local · no version · v1 starting 0/2 ready · strategy rolling',
    ],
    ['stopped', snapshot({ status: 'stopped' }), 'shop · local · v7 · stopped · strategy rolling'],
  ])('%s', (_name, s, expected) => {
    expect(lineText(headerLine(s, 100))).toBe(expected);
  });

  test('names where a provider points: the context and namespace, organisation or environment', () => {
    const s = snapshot({ platform: 'kubernetes' });
    expect(lineText(headerLine(s, 100, 'prod-eu/shop'))).toBe(
      'shop · kubernetes prod-eu/shop · v7 · steady · strategy rolling',
    );
    expect(lineText(headerLine(s, 100, ''))).toBe('shop · kubernetes · v7 · steady · strategy rolling');
  });

  test('is cut to the width', () => {
    expect(lineText(headerLine(rolling(), 40))).toBe('shop · local · v7 · v7 → v8 rolling 3/5…');
  });

  test.each<[string, Partial<Snapshot>, string[]]>([
    ['none', {}, []],
    [
      'stopped',
      { status: 'stopped' },
      ['■ STOPPED this app is stopped; deploying the name creates a new app'],
    ],
    ['failed', { failed: { version: 8, reason: 'crash loop' } }, ['✗ ROLLOUT FAILED v8 crash loop']],
    ['building', { building: { since: now - 65_000, user: 'bo' } }, ["⧗ BUILDING image for bo's deploy, 1m"]],
  ])('banners: %s', (_name, over, expected) => {
    expect(bannerLines(snapshot(over), now, 100).map(lineText)).toEqual(expected);
  });
});

describe('containers', () => {
  test.each([
    ['none', [], false, '—'],
    ['ready', containers('web', 7, 'ready', 3), false, 'v7 ███ 3 ready'],
    [
      'mixed',
      [...containers('web', 7, 'ready', 3), ...containers('web', 7, 'draining', 1)],
      false,
      'v7 ███▒ 3 ready 1 draining',
    ],
    [
      'abbreviated',
      [...containers('web', 8, 'ready', 1), ...containers('web', 8, 'starting', 2)],
      true,
      'v8 █░░ 1 rdy 2 start',
    ],
    [
      'two old versions',
      [...containers('web', 6, 'draining', 1), ...containers('web', 7, 'ready', 1)],
      false,
      'v6,v7 █▒ 1 ready 1 draining',
    ],
    [
      'exited left out, failed shown',
      [...containers('web', 8, 'exited', 2), ...containers('web', 8, 'failed', 1)],
      false,
      'v8 ✗ 1 failed',
    ],
    ['many', containers('web', 7, 'ready', 14), false, 'v7 █████████+ 14 ready'],
  ])('side: %s', (_name, list, abbreviate, expected) => {
    expect(sideText(list, abbreviate)).toBe(expected);
  });

  test('old and new side by side, per function', () => {
    const s = rolling({
      functions: [
        { name: 'web', url: null, target: 3, concurrency: 8 },
        { name: 'worker', url: null, target: 1, concurrency: 1 },
      ],
      containers: [
        ...rolling().containers,
        ...containers('worker', 7, 'ready', 1),
        ...containers('worker', 8, 'starting', 1),
      ],
    });
    expect(containerLines(s, 80, true).map(lineText)).toEqual([
      '▸ Containers old                        new',
      'web          v7 ██▒ 2 ready 1 draining  v8 ███░░ 3 ready 2 starting',
      'worker       v7 █ 1 ready               v8 ░ 1 starting',
    ]);
  });
});

describe('inputs', () => {
  test.each<[string, Snapshot['inputs'], number, string[]]>([
    [
      'all reported',
      snapshot().inputs,
      80,
      ['Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 12ms  p95 40ms'],
    ],
    [
      'narrow',
      snapshot().inputs,
      60,
      ['Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0', '        p50 12ms  p95 40ms'],
    ],
    ['none reported', noInputs, 80, ['Inputs  not reported by this platform']],
    [
      'latency not reported',
      { ...snapshot().inputs, p50: null, p95: 1500 },
      100,
      ['Inputs  queued 0  in flight 4  done/s 12.0  failed/s 0.0  p50 not reported  p95 1.5s'],
    ],
  ])('%s', (_name, inputs, width, expected) => {
    expect(inputLines(inputs, width)).toEqual(expected);
  });
});

describe('timeline', () => {
  test.each<[string, Snapshot, number, string]>([
    ['all fit', snapshot(), 80, 'v5 deploy ana 5h ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h'],
    ['oldest dropped', rolling(), 80, '… ─ v6 deploy ana 4h ─ ●v7 ↺v5 rollback bo 3h ─ ◐v8 deploy ana 20s'],
    ['narrow', rolling(), 50, '… ─ ●v7 ↺v5 rollback bo 3h ─ ◐v8 deploy ana 20s'],
    ['no versions', snapshot({ history: [] }), 80, 'no versions yet'],
  ])('%s', (_name, s, width, expected) => {
    expect(lineText(timelineLine(s, width, now))).toBe(expected);
  });
});

describe('the chart (M1, M2)', () => {
  const rollout = () =>
    rolling({
      metrics: metrics(
        20,
        (i): Partial<MetricSample> => ({
          containers:
            i < 10 ? { '7': { ready: 3 } } : { '7': { ready: 3 }, '8': { ready: Math.min(3, i - 9) } },
        }),
      ),
      history: [version(8, { createdAt: now - 10_000 }), ...snapshot().history],
    });

  test('ready containers per version, across the whole width, legend, time axis and marker', () => {
    const lines = chartLines(rollout(), 40, 8, now).map(lineText);
    expect(lines).toEqual([
      'Ready containers per version ┄┄ v7 ── v…',
      '3 ┤                 ┄┄┄┄┄┄┄┄┄┄┄┄╭───────',
      '  ┤                            ╭╯',
      '  ┤                            │',
      '  ┤                           ─╯',
      '0 ┤',
      '   -37s            -19s              now',
      '                             ▲v8',
    ]);
  });

  test('a platform that reports no queue gets no queue chart (never a line of zeros)', () => {
    const withQueue = rolling({ metrics: metrics(20, () => ({ containers: { '7': { ready: 3 } } })) });
    const text = (s: typeof withQueue) => chartLines(s, 60, 14, now, 'queued').map(lineText).join('\n');
    expect(text(withQueue)).toContain('0 ┤');
    const none = { ...withQueue, inputs: { ...withQueue.inputs, queued: null, inFlight: null } };
    expect(text(none)).toBe('Queued inputs  not reported by this platform');
  });

  test('each version keeps its own line style and colour, whatever else is drawn', () => {
    const tones = (line: ReturnType<typeof chartLines>[number]) => line.map((s) => s.tone);
    const [title] = chartLines(rollout(), 120, 8, now);
    expect(lineText(title!)).toContain('┄┄ v7 ── v8 (new)');
    expect(tones(title!)).toContain('series3');
    expect(tones(title!)).toContain('series0');
    const alone = rolling({ metrics: metrics(5, () => ({ containers: { '8': { ready: 2 } } })) });
    expect(lineText(chartLines(alone, 120, 8, now)[0]!)).toContain('── v8');
  });

  test('a longer history is charted over a wider time window, never cut to the newest seconds', () => {
    const long = rolling({ metrics: metrics(300) });
    const axis = chartLines(long, 80, 8, now)
      .map(lineText)
      .find((l) => l.endsWith('now'))!;
    expect(axis).toMatch(/^ +-6m\d*s? +-3m\d*s? +now$/);
  });

  test('several versions in one column: a count and every version listed, never a column number', () => {
    const s = rolling({
      metrics: metrics(60),
      history: [
        version(9, { createdAt: now - 10_000 }),
        version(8, { createdAt: now - 30_000 }),
        version(7, { createdAt: now - 30_400 }),
      ],
    });
    const marks = chartLines(s, 70, 8, now).map(lineText).at(-1)!;
    expect(marks).toMatch(/²v7,v8 +▲v9/);
    expect(marks).not.toMatch(/col \d/);
  });

  test('labels that would collide go to a line of their own, with when', () => {
    const s = rolling({
      metrics: metrics(60),
      history: [version(9, { createdAt: now - 25_000 }), version(8, { createdAt: now - 28_000 })],
    });
    const lines = chartLines(s, 70, 9, now).map(lineText);
    expect(lines.at(-2)).toMatch(/▲v8▲$/);
    expect(lines.at(-1)).toMatch(/^also: ▲ v9 -2\ds$/);
  });

  test('c cycles the series: queued, done/s, failed/s, p95 — each with the version markers', () => {
    const s = rolling({
      metrics: metrics(20, (i) => ({ queued: i, failed: i % 3, p95: 40 + i })),
      history: rollout().history,
    });
    for (const [series, title] of [
      ['queued', 'Queued inputs'],
      ['done', 'Inputs done/s'],
      ['failed', 'Inputs failed/s'],
      ['p95', 'p95 latency'],
    ] as const) {
      const lines = chartLines(s, 60, 8, now, series).map(lineText);
      expect(lines[0]).toMatch(new RegExp(`^${title}`));
      expect(lines.at(-1)).toContain('▲v8');
    }
    expect(lineText(chartLines(s, 60, 8, now, 'p95')[1]!)).toMatch(/^59ms ┤/);
  });

  test('no metrics', () => {
    expect(chartLines(snapshot(), 80, 8, now).map(lineText)).toEqual(['Chart  no metrics reported']);
  });
});

describe('history', () => {
  test('rows', () => {
    expect(historyRows(snapshot().history, now, 2)).toEqual([
      {
        version: 'v7',
        kind: 'rollback',
        strategy: 'rolling',
        user: 'bo',
        age: '3h',
        outcome: 'active',
        target: 'v5',
      },
      {
        version: 'v6',
        kind: 'deploy',
        strategy: 'rolling',
        user: 'ana',
        age: '4h',
        outcome: 'superseded',
        target: '',
      },
    ]);
  });
  test.each([
    [100, ['version', 'kind', 'strategy', 'user', 'age', 'outcome', 'target']],
    [60, ['version', 'kind', 'user', 'age', 'outcome', 'target']],
    [45, ['version', 'kind', 'outcome', 'target']],
  ])('columns at width %i', (width, expected) => {
    expect(historyColumnsFor(historyRows(snapshot().history, now, 3), width)).toEqual(expected);
  });
});

describe('events', () => {
  test.each([
    [event(3, 'container web-1 ready'), '11:59:57       container web-1 ready'],
    [event(2, 'web-3 failed readiness', 'warn'), '11:59:58 warn  web-3 failed readiness'],
    [event(1, 'rollout of v8 failed', 'error'), '11:59:59 error rollout of v8 failed'],
  ])('%j', (e, expected) => {
    expect(lineText(eventLine(e, 80))).toBe(expected);
  });
});

describe('footer', () => {
  test.each<[string, Partial<Parameters<typeof footerLine>[0]>, number, string]>([
    [
      'everything',
      {},
      100,
      'r rollback  o rollover  s stop  d deploy  l logs  h history  c chart  tab focus  ? help  q quit',
    ],
    ['narrow: help and quit stay', {}, 40, 'r rollback  o rollover  ? help  q quit'],
    [
      'no deploy dir',
      { deployDir: null },
      100,
      'r rollback  o rollover  s stop  l logs  h history  c chart  tab focus  ? help  q quit',
    ],
    [
      'stopped',
      { snapshot: snapshot({ status: 'stopped' }) },
      100,
      'd deploy  l logs  h history  c chart  tab focus  ? help  q quit',
    ],
    [
      'a platform without rollover',
      { capabilities: without('rollover') },
      100,
      'r rollback  s stop  d deploy  l logs  h history  c chart  tab focus  ? help  q quit',
    ],
  ])('%s', (_name, over, width, expected) => {
    const context = { snapshot: snapshot(), capabilities: allCapabilities, deployDir: '/srv/shop', ...over };
    expect(lineText(footerLine(context, width))).toBe(expected);
  });
});

describe('rollback targets (B1)', () => {
  test.each<[string, Snapshot, number[]]>([
    ['steady: older versions, newest first', snapshot(), [6, 5]],
    ['mid-rollout: the active version first', rolling(), [7, 6, 5]],
    [
      'failed versions are listed too (the dialog marks them and asks twice)',
      snapshot({
        version: 9,
        history: [version(9, { outcome: 'active' }), version(8, { outcome: 'failed' }), version(7)],
      }),
      [8, 7],
    ],
    ['only one version', snapshot({ version: 1, history: [version(1, { outcome: 'active' })] }), []],
  ])('%s', (_name, s, expected) => {
    expect(rollbackTargets(s).map((v) => v.version)).toEqual(expected);
  });
});

describe('small texts', () => {
  test.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [49 * 3_600_000, '2d'],
  ])('age %i', (ms, expected) => {
    expect(age(now - ms, now)).toBe(expected);
  });
  test('too small', () => {
    const text = (c: number, r: number) => tooSmallLines(c, r).map(lineText);
    expect(text(59, 17)).toEqual(['Terminal too small: 59×17, cutover needs at least 60×18.']);
    expect(text(20, 5)).toEqual(['Terminal too small:', '20×5, cutover needs', 'at least 60×18.']);
  });
  test.each([
    [
      { ok: true, app: 'shop', version: 9, noop: false, rollbackOf: 7, message: '', warnings: [] },
      'v9 created (rollback to v7)',
    ],
    [
      {
        ok: true,
        app: 'shop',
        version: 9,
        noop: false,
        rollbackOf: 7,
        message: '',
        warnings: ['secret STRIPE_KEY changed'],
      },
      'v9 created (rollback to v7) · secret STRIPE_KEY changed',
    ],
    [
      {
        ok: true,
        app: 'shop',
        version: 7,
        noop: true,
        rollbackOf: null,
        message: 'nothing changed: v7 is current',
        warnings: [],
      },
      'nothing changed: v7 is current',
    ],
    [
      { ok: false, app: 'shop', code: 'no-earlier-version', message: 'shop has no earlier version' },
      'shop has no earlier version',
    ],
  ] as const)('reply %#', (reply, expected) => {
    expect(replyText(reply as Parameters<typeof replyText>[0])).toBe(expected);
  });
  test.each<[string, Snapshot, string]>([
    ['rolling', rolling(), '12:00:00 shop v7 → v8 rolling 3/5 ready · queued 0 · in flight 4'],
    ['steady', snapshot(), '12:00:00 shop v7 steady · queued 0 · in flight 4'],
    [
      'no inputs, failed',
      snapshot({ inputs: noInputs, failed: { version: 8, reason: 'crash loop' } }),
      '12:00:00 shop v7 steady · FAILED v8: crash loop · queued not reported · in flight not reported',
    ],
  ])('plain line: %s', (_name, s, expected) => {
    expect(plainLine(s)).toBe(expected);
  });
});

describe('layout', () => {
  const base = {
    banners: 0,
    containerLines: 2,
    inputLines: 1,
    events: 40,
    history: 10,
    showHistory: false,
    hasStatus: false,
  };
  test.each([
    [24, false],
    [24, true],
    [18, true],
    [18, false],
    [40, true],
  ])('rows %i, history %s: fits rows - 1', (rows, showHistory) => {
    const layout = planLayout({ ...base, rows, showHistory });
    expect(layoutHeight(layout)).toBeLessThanOrEqual(rows - 1);
  });
  test('at 80×24 the chart gets the room; history shrinks it when shown', () => {
    expect(planLayout({ ...base, rows: 24 })).toMatchObject({ chart: 13, events: 3, historyRows: 0 });
    // The table shows 2 of 10 versions; the line that says so costs an event line.
    expect(planLayout({ ...base, rows: 24, showHistory: true })).toMatchObject({
      chart: 5,
      events: 2,
      historyRows: 2,
      historyMore: 1,
    });
  });
});
