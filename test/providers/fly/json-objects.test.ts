// flyctl's --json output is Go's indented Encoder, one document after another: split whole.
import { describe, expect, it } from 'vitest';
import { JsonObjects } from '../../../src/providers/fly/json-objects.ts';
// @ts-expect-error: a plain .mjs module of the fake fly, without types
import { logEntryJson } from '../../fakes/fly/fake-fly/render.mjs';

describe('concatenated JSON documents', () => {
  it('splits `fly logs --json` entries, however the text is cut', () => {
    const text =
      (logEntryJson as (e: object) => string)({
        level: 'info',
        instance: 'm1',
        message: 'a {brace} "quoted"',
        region: 'ord',
        timestamp: 't',
      }) +
      (logEntryJson as (e: object) => string)({
        level: 'info',
        instance: 'm2',
        message: 'b',
        region: 'ord',
        timestamp: 't',
      });
    for (const size of [1, 7, 64, text.length]) {
      const parser = new JsonObjects();
      const found: unknown[] = [];
      for (let i = 0; i < text.length; i += size) found.push(...parser.push(text.slice(i, i + size)));
      expect(found.map((e) => (e as { instance: string; message: string }).message)).toEqual([
        'a {brace} "quoted"',
        'b',
      ]);
    }
  });
});
