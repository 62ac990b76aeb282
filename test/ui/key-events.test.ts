import { describe, expect, test } from 'vitest';
import { splitKeys } from '../../src/ui/key-events.ts';

describe('splitKeys', () => {
  test.each([
    ['a single key passes through', 'r', {}, [{ input: 'r', key: {} }]],
    ['a named key passes through', '', { return: true }, [{ input: '', key: { return: true } }]],
    ['an arrow passes through', '', { downArrow: true }, [{ input: '', key: { downArrow: true } }]],
    [
      'r then enter in one chunk: two keys',
      'r\r',
      {},
      [
        { input: 'r', key: {} },
        { input: '', key: { return: true } },
      ],
    ],
    [
      'pasted text: one key per character, capitals with shift',
      'sHo',
      {},
      [
        { input: 's', key: {} },
        { input: 'H', key: { shift: true } },
        { input: 'o', key: {} },
      ],
    ],
    [
      'tab, backspace and ctrl-c inside a burst',
      'a\t\x7f\x03',
      {},
      [
        { input: 'a', key: {} },
        { input: '', key: { tab: true } },
        { input: '', key: { delete: true } },
        { input: 'c', key: { ctrl: true } },
      ],
    ],
    ['an escape sequence is left whole', '\x1b[A', {}, [{ input: '\x1b[A', key: {} }]],
  ])('%s', (_name, input, key, expected) => {
    expect(splitKeys(input, key)).toEqual(expected);
  });
});
