// The fake's patch and selector semantics, table by table (RFC 6902, RFC 7386, strategic
// merge as apimachinery's strategicpatch applies it; labels.Parse).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.ts';
import { applyPatch, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH } from './patch.ts';
import { matchesLabels, parseLabelSelector } from './selectors.ts';
import { StatusError } from './status.ts';

const deployment = (): JsonObject => ({
  metadata: { name: 'shop', annotations: { a: '1' } },
  spec: {
    replicas: 2,
    template: {
      metadata: { labels: { app: 'shop' } },
      spec: {
        containers: [
          { name: 'web', image: 'web:1', env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'side:1' },
        ],
      },
    },
  },
});

type Template = { spec: { template: { spec: { containers: JsonObject[] } } } };
const containers = (doc: JsonObject) => (doc as unknown as Template).spec.template.spec.containers;

describe('strategic merge patch', () => {
  it('merges containers by name, env by name, and keeps what the patch does not name', () => {
    const out = applyPatch(deployment(), STRATEGIC_MERGE_PATCH, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'sidecar', image: 'side:2' },
              { name: 'web', env: [{ name: 'B', value: '2' }] },
            ],
          },
        },
      },
    });
    expect(containers(out)).toEqual([
      {
        name: 'web',
        image: 'web:1',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'sidecar', image: 'side:2' },
    ]);
  });

  it('honours $setElementOrder, $patch: delete, null to remove, and replaces lists without a merge key', () => {
    const out = applyPatch(deployment(), STRATEGIC_MERGE_PATCH, {
      metadata: { annotations: { a: null, b: '2' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [{ name: 'web', $patch: 'delete' }],
            tolerations: [{ key: 'x' }],
          },
        },
      },
    });
    expect(out.metadata).toEqual({ name: 'shop', annotations: { b: '2' } });
    expect(containers(out)).toEqual([{ name: 'sidecar', image: 'side:1' }]);
    expect(
      (out as unknown as { spec: { template: { spec: JsonObject } } }).spec.template.spec.tolerations,
    ).toEqual([{ key: 'x' }]);
  });
});

describe('JSON patch and merge patch', () => {
  it('applies replace/add/remove/test in order, and refuses a path that is not there', () => {
    const out = applyPatch(deployment(), JSON_PATCH, [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' },
      { op: 'add', path: '/metadata/labels', value: { tier: 'web' } },
      { op: 'remove', path: '/metadata/annotations/a' },
    ]);
    expect(containers(out)[0]?.image).toBe('web:2');
    expect(out.metadata).toEqual({ name: 'shop', annotations: {}, labels: { tier: 'web' } });
    expect(() =>
      applyPatch(deployment(), JSON_PATCH, [{ op: 'replace', path: '/spec/paused', value: true }]),
    ).toThrow(StatusError);
    expect(() =>
      applyPatch(deployment(), JSON_PATCH, [{ op: 'test', path: '/spec/replicas', value: 3 }]),
    ).toThrow(/test failed/);
  });

  it('merge patch replaces lists whole and removes keys set to null', () => {
    const out = applyPatch(deployment(), MERGE_PATCH, {
      spec: { replicas: 0, template: { spec: { containers: [{ name: 'only', image: 'x:1' }] } } },
      metadata: { annotations: null },
    });
    expect(containers(out)).toEqual([{ name: 'only', image: 'x:1' }]);
    expect(out.metadata).toEqual({ name: 'shop' });
  });

  it('refuses an unknown patch type with 415', () => {
    const error = (() => {
      try {
        applyPatch(deployment(), 'application/apply-patch+yaml', {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(415);
  });
});

describe('label selectors', () => {
  it.each([
    ['app=shop', { app: 'shop' }, true],
    ['app==shop,tier=web', { app: 'shop' }, false],
    ['app!=shop', { app: 'cart' }, true],
    ['app in (shop, cart),!canary', { app: 'cart' }, true],
    ['app notin (shop)', { app: 'shop' }, false],
    ['tier', { app: 'shop' }, false],
  ])('%s against %o → %s', (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });
});
