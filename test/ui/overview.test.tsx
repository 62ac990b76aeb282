// The overview of every app: rows from snapshots, filtering, the keys, and the screen itself.
import './force-color.ts';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { OverviewScreen } from '../../src/ui/overview/OverviewScreen.tsx';
import type { OverviewData } from '../../src/ui/overview/overview-feed.ts';
import { initialOverviewState, routeOverviewKey } from '../../src/ui/overview/overview-keys.ts';
import { filterRows, type OverviewRow, overviewRow, sortRows } from '../../src/ui/overview/overview-rows.ts';
import { noInputs, now, rolling, snapshot } from './fixtures.ts';
import { keys, settle } from './render-screen.tsx';

afterEach(() => cleanup());

const rows = (): OverviewRow[] =>
  sortRows([
    overviewRow('local', 0, snapshot()),
    overviewRow('local', 0, rolling({ app: 'api', appId: 'api' })),
    overviewRow(
      'prod (kubernetes prod-eu/shop)',
      1,
      snapshot({ app: 'web', appId: 'web', inputs: noInputs }),
    ),
    overviewRow('local', 0, snapshot({ app: 'old', appId: 'old#1', status: 'stopped', containers: [] })),
    overviewRow(
      'local',
      0,
      snapshot({
        app: 'pay',
        appId: 'pay',
        failed: { version: 4, reason: 'crash loop' },
        inputs: { ...snapshot().inputs, failedPerSecond: 3.5 },
      }),
    ),
  ]);

describe('overview rows', () => {
  test('name, target, version, rollout progress, ready/target, failed/s; failing and rolling first', () => {
    expect(
      rows().map((r) => [
        r.app,
        r.target,
        r.version,
        r.progress,
        `${r.ready}/${r.wanted}`,
        r.failedPerSecond,
      ]),
    ).toEqual([
      ['pay', 'local', 7, '✗ v4 failed', '3/3', 3.5],
      ['api', 'local', 7, 'v7 → v8 rolling 3/5', '3/3', 0],
      ['shop', 'local', 7, 'steady', '3/3', 0],
      ['web', 'prod (kubernetes prod-eu/shop)', 7, 'steady', '3/3', null],
      ['old#1', 'local', 7, 'stopped', '0/3', 0],
    ]);
  });

  test('/ filters by app, target or state', () => {
    expect(filterRows(rows(), 'prod').map((r) => r.app)).toEqual(['web']);
    expect(filterRows(rows(), 'ROLLING').map((r) => r.app)).toEqual(['api']);
    expect(filterRows(rows(), '').length).toBe(5);
  });

  test('keys: j/k move, / types a filter that enter keeps and esc clears, enter opens, q quits', () => {
    let s = initialOverviewState;
    s = routeOverviewKey(s, 'j', {}, 5, 3).state;
    expect(s.cursor).toBe(1);
    s = routeOverviewKey(s, '/', {}, 5, 3).state;
    for (const ch of 'web') s = routeOverviewKey(s, ch, {}, 5, 3).state;
    expect(s).toMatchObject({ filter: 'web', editing: true, cursor: 0 });
    s = routeOverviewKey(s, '', { return: true }, 1, 3).state;
    expect(s.editing).toBe(false);
    expect(routeOverviewKey(s, '', { return: true }, 1, 3).open).toBe(0);
    expect(routeOverviewKey(s, '', { escape: true }, 1, 3).state.filter).toBe('');
    expect(routeOverviewKey(s, 'q', {}, 1, 3).quit).toBe(true);
  });
});

describe('the overview screen', () => {
  const data = (): OverviewData => ({
    rows: rows(),
    errors: [{ target: 'staging (fly)', message: 'fly is not logged in' }],
    at: now - 1_000,
  });

  test('every app on every target, live, with what could not be read', () => {
    const screen = render(
      <OverviewScreen
        data={data()}
        targets={3}
        size={{ columns: 100, rows: 24 }}
        now={now}
        color={false}
        onOpen={vi.fn()}
        onQuit={vi.fn()}
      />,
    );
    const frame = screen.lastFrame()!;
    expect(frame.split('\n')[0]).toBe('cutover · 5 apps on 3 targets · updated 1s ago');
    expect(frame).toMatch(/▸ pay +local +v7 +✗ v4 failed +3\/3 +3\.5/);
    expect(frame).toMatch(/ {2}web +prod \(kubernetes prod-eu\/sh… +v7 +steady +3\/3 +—/);
    expect(frame).toContain('⚠ staging (fly): fly is not logged in');
    expect(frame.split('\n').at(-1)).toBe('enter open  / filter  ? help  q quit');
  });

  test('/ filters, enter opens the selected app, q quits', async () => {
    const onOpen = vi.fn<(row: OverviewRow) => void>();
    const onQuit = vi.fn();
    const screen = render(
      <OverviewScreen
        data={data()}
        targets={3}
        size={{ columns: 100, rows: 24 }}
        now={now}
        color={false}
        onOpen={onOpen}
        onQuit={onQuit}
      />,
    );
    for (const key of ['/', 'a', 'p', 'i', keys.enter]) {
      screen.stdin.write(key);
      await settle(50);
    }
    expect(screen.lastFrame()).toContain('filter: api  1 of 5 · esc clears');
    expect(screen.lastFrame()).not.toContain('pay');
    screen.stdin.write(keys.enter);
    await settle(50);
    expect(onOpen.mock.calls.map(([row]) => row.app)).toEqual(['api']);
    screen.stdin.write('q');
    await settle(50);
    expect(onQuit).toHaveBeenCalled();
  });
});
