// The three `--json` tables cutover reads, as modal prints them before 1.5.0 (column names as
// keys) and since (snake_case; py/modal/cli/utils.py `_col_name_to_json_key`), with Modal's time
// format (py/modal/_utils/time_utils.py `timestamp_to_localized_str`).
import { describe, expect, test } from 'vitest';
import { normaliseKey, parseModalTime } from '../../../src/providers/modal/modal-json.ts';
import { appNamed, parseApps } from '../../../src/providers/modal/parse-apps.ts';
import { parseContainers } from '../../../src/providers/modal/parse-containers.ts';
import { describeVersion, parseHistory } from '../../../src/providers/modal/parse-history.ts';

const at = (iso: string) => Date.parse(iso);

describe('Modal key formats', () => {
  test('column names become the 1.5+ snake_case keys', () => {
    expect(
      ['App ID', 'Time deployed', 'Start Time', 'Start time', 'Deployed by', 'app_id'].map(normaliseKey),
    ).toEqual(['app_id', 'time_deployed', 'start_time', 'start_time', 'deployed_by', 'app_id']);
  });

  test("Modal's times: local zone with offset, a T, a Z, UTC; Pending and null are no time", () => {
    expect(parseModalTime('2026-11-30 14:03:12+00:00')).toBe(at('2026-11-30T14:03:12Z'));
    expect(parseModalTime('2026-11-30 15:03:12+01:00')).toBe(at('2026-11-30T14:03:12Z'));
    expect(parseModalTime('2026-11-30 09:03:12-05:00')).toBe(at('2026-11-30T14:03:12Z'));
    expect(parseModalTime('2026-11-30T14:03:12.250Z')).toBe(at('2026-11-30T14:03:12.250Z'));
    expect(parseModalTime('2026-11-30 14:03 UTC')).toBe(at('2026-11-30T14:03:00Z'));
    expect(parseModalTime('Pending')).toBeNull();
    expect(parseModalTime(null)).toBeNull();
  });
});

describe('modal app history --json', () => {
  const snake = JSON.stringify([
    {
      version: 'v5',
      time_deployed: '2026-11-30 14:03:12+01:00',
      client: '1.5.4',
      deployed_by: 'alice',
      commit: 'abc1234*',
      tag: 'r7',
    },
    {
      version: 'v4',
      time_deployed: '2026-11-29 10:00:00+01:00',
      client: '1.5.2',
      deployed_by: 'bob',
      commit: null,
      tag: null,
    },
  ]);
  // Before 1.5.0 the keys were the column names, and with no tag anywhere the Tag column is dropped.
  const titled = JSON.stringify([
    {
      Version: 'v4',
      'Time deployed': '2026-11-29 10:00:00+01:00',
      Client: '1.4.3',
      'Deployed by': 'bob',
      Commit: null,
    },
    {
      Version: 'v5',
      'Time deployed': '2026-11-30 14:03:12+01:00',
      Client: '1.4.3',
      'Deployed by': 'alice',
      Commit: 'abc1234',
    },
  ]);

  test('both formats give the same versions, newest first', () => {
    for (const json of [snake, titled]) {
      const history = parseHistory(json);
      expect(history.map((v) => v.version)).toEqual([5, 4]);
      expect(history[0]).toMatchObject({ deployedAt: at('2026-11-30T13:03:12Z'), deployedBy: 'alice' });
    }
    expect(parseHistory(snake)[0]).toMatchObject({ client: '1.5.4', commit: 'abc1234*', tag: 'r7' });
    expect(parseHistory(titled)[0]).toMatchObject({ client: '1.4.3', commit: 'abc1234', tag: null });
  });

  test('a version printed without its v (clients before August 2024) is read too', () => {
    expect(parseHistory(JSON.stringify([{ Version: '3', 'Time deployed': null }]))[0]?.version).toBe(3);
  });

  test('what Modal says of a version besides its number', () => {
    expect(describeVersion(parseHistory(snake)[0]!)).toBe('client 1.5.4 · commit abc1234* · tag r7');
  });

  test('output that is not a JSON table is a failure that shows what came', () => {
    expect(() => parseHistory('Traceback (most recent call last):')).toThrow(/did not print JSON/);
  });
});

describe('modal app list --json', () => {
  const rows = [
    ['ap-OLD', 'shop', 'stopped', '0', '2026-11-01 09:00:00+00:00', '2026-11-20 09:00:00+00:00'],
    ['ap-NEW', 'shop', 'deployed', '3', '2026-11-21 09:00:00+00:00', null],
    ['ap-RUN', 'shop', 'ephemeral', '1', '2026-11-30 09:00:00+00:00', null],
    ['ap-CRON', 'nightly', 'stopped', '0', '2026-11-02 09:00:00+00:00', '2026-11-03 09:00:00+00:00'],
  ];
  const columns = ['App ID', 'Description', 'State', 'Tasks', 'Created at', 'Stopped at'];
  const as = (keys: string[]) =>
    JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]]))));

  test('both formats; a name means its deployed app, else its newest stopped one; ephemeral runs are not it', () => {
    for (const json of [as(columns), as(columns.map(normaliseKey))]) {
      const apps = parseApps(json);
      expect(apps).toHaveLength(4);
      expect(appNamed(apps, 'shop')).toMatchObject({ appId: 'ap-NEW', state: 'deployed', tasks: 3 });
      expect(appNamed(apps, 'nightly')).toMatchObject({
        appId: 'ap-CRON',
        stoppedAt: at('2026-11-03T09:00:00Z'),
      });
      expect(appNamed(apps, 'ap-OLD')?.name).toBe('shop');
      expect(appNamed(apps, 'nope')).toBeNull();
    }
  });
});

describe('modal container list --json', () => {
  test('both formats (and the older "Start time" column); Pending has no start time', () => {
    const snake = JSON.stringify([
      { container_id: 'ta-01B', app_id: 'ap-NEW', app_name: 'shop', start_time: '2026-11-30 14:00:05+00:00' },
      { container_id: 'ta-01C', app_id: 'ap-NEW', app_name: 'shop', start_time: 'Pending' },
    ]);
    const titled = JSON.stringify([
      {
        'Container ID': 'ta-01B',
        'App ID': 'ap-NEW',
        'App Name': 'shop',
        'Start time': '2026-11-30 14:00:05+00:00',
      },
      { 'Container ID': 'ta-01C', 'App ID': 'ap-NEW', 'App Name': 'shop', 'Start Time': 'Pending' },
    ]);
    for (const json of [snake, titled]) {
      expect(parseContainers(json)).toEqual([
        { id: 'ta-01B', appId: 'ap-NEW', appName: 'shop', startedAt: at('2026-11-30T14:00:05Z') },
        { id: 'ta-01C', appId: 'ap-NEW', appName: 'shop', startedAt: null },
      ]);
    }
  });
});
