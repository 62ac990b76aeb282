import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bindingFor, type KeyContext, type KeyId, keymap, keyTableMarkdown } from '../../src/ui/keymap.ts';
import { allCapabilities, rolling, snapshot, version, without } from './fixtures.ts';

const context = (over: Partial<KeyContext> = {}): KeyContext => ({
  snapshot: snapshot(),
  capabilities: allCapabilities,
  deployDir: '/srv/shop',
  ...over,
});

const reason = (id: KeyId, c: KeyContext) => keymap.find((b) => b.id === id)!.disabledReason(c);

describe('the keymap', () => {
  test('ids are unique and every entry has keys and a description', () => {
    expect(new Set(keymap.map((b) => b.id)).size).toBe(keymap.length);
    for (const b of keymap) {
      expect(b.keys.length).toBeGreaterThan(0);
      expect(b.description.length).toBeGreaterThan(10);
    }
  });

  test('dangerous commands are the ones that change the app', () => {
    expect(keymap.filter((b) => b.dangerous).map((b) => b.id)).toEqual([
      'rollout.rollback',
      'rollout.rollover',
      'app.stop',
      'app.deploy',
    ]);
  });

  test.each<[KeyId, KeyContext, string | null]>([
    ['rollout.rollback', context(), null],
    ['rollout.rollback', context({ snapshot: rolling() }), null],
    [
      'rollout.rollback',
      context({ snapshot: snapshot({ version: 1, history: [version(1, { outcome: 'active' })] }) }),
      'no earlier version',
    ],
    ['rollout.rollback', context({ snapshot: snapshot({ status: 'stopped' }) }), 'app is stopped'],
    ['rollout.rollback', context({ capabilities: without('rollback') }), 'not supported on local'],
    ['rollout.rollback', context({ snapshot: null }), 'no snapshot yet'],
    ['rollout.rollover', context({ snapshot: snapshot({ version: null }) }), 'no active version'],
    ['app.stop', context(), null],
    ['app.stop', context({ snapshot: snapshot({ status: 'stopped' }) }), 'app is stopped'],
    ['app.deploy', context({ deployDir: null }), 'not a local app'],
    ['app.deploy', context({ snapshot: snapshot({ status: 'stopped' }) }), null],
    ['app.quit', context({ snapshot: null }), null],
  ])('%s disabled reason', (id, c, expected) => {
    expect(reason(id, c)).toBe(expected);
  });

  test.each<[string, Parameters<typeof bindingFor>[1], KeyId | undefined]>([
    ['r', {}, 'rollout.rollback'],
    ['o', {}, 'rollout.rollover'],
    ['s', {}, 'app.stop'],
    ['d', {}, 'app.deploy'],
    ['h', {}, 'view.history'],
    ['', { tab: true }, 'view.focus'],
    ['?', {}, 'view.help'],
    ['q', {}, 'app.quit'],
    ['c', { ctrl: true }, 'app.quit'],
    ['c', {}, 'view.chart'],
    ['r', { ctrl: true }, undefined],
  ])('%j %j → %s', (input, key, expected) => {
    expect(bindingFor(input, key)?.id).toBe(expected);
  });

  test('the README key table is generated from the keymap', () => {
    const table = keyTableMarkdown();
    expect(table.split('\n')).toHaveLength(keymap.length + 2);
    expect(table).toContain(
      '| `q`, `ctrl-c` | `app.quit` | Quit the watch screen (the app keeps running) | no |',
    );
    const readme = new URL('../../README.md', import.meta.url);
    if (!existsSync(readme)) return;
    const text = readFileSync(readme, 'utf8');
    const section = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(text);
    expect(section, 'README.md has no keys:start/keys:end section').not.toBeNull();
    expect(section![1]).toBe(table);
  });
});
