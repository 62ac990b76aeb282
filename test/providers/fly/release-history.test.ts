// Fly releases as versions: kind from cutover's labels, else from the images (research §5);
// outcome from flyctl's release status; where `rollback` with no number goes (B1, H1).
import { describe, expect, it } from 'vitest';
import type { FlyRelease } from '../../../src/providers/fly/fly-types.ts';
import { defaultRollbackTarget, versionsOf } from '../../../src/providers/fly/release-history.ts';
import type { ReleaseLabel } from '../../../src/providers/fly/release-store.ts';
import { release } from '../../fakes/fly/recorded.ts';

const none = { labels: new Map<number, ReleaseLabel>(), sameConfig: () => null };
const list = (...r: ReturnType<typeof release>[]) => r as FlyRelease[];

describe('Fly releases as versions', () => {
  it('D1: the release number is the version; outcome from the status; the newest complete is active', () => {
    const v = versionsOf(
      list(release(4, { status: 'running' }), release(3), release(2, { status: 'failed' }), release(1)),
      none,
    );
    expect(v.map((x) => [x.version, x.outcome])).toEqual([
      [4, 'rolling'],
      [3, 'active'],
      [2, 'failed'],
      [1, 'superseded'],
    ]);
    expect(v[0]).toMatchObject({
      strategy: 'rolling',
      user: 'ops@example.com',
      image: 'registry.fly.io/shop:deployment-4',
      specHash: 'rel_4',
    });
  });

  it('an image of an earlier release is a rollback of it; the same image as the one before is a rollover', () => {
    const v = versionsOf(
      list(
        release(4, { image: 'img:a' }),
        release(3, { image: 'img:b' }),
        release(2, { image: 'img:b' }),
        release(1, { image: 'img:a' }),
      ),
      none,
    );
    expect(v.map((x) => [x.version, x.kind, x.rollbackOf])).toEqual([
      [4, 'rollback', 1],
      [3, 'rollover', null],
      [2, 'deploy', null],
      [1, 'deploy', null],
    ]);
  });

  it('the same image with a recorded config that differs is a deploy, not a rollover', () => {
    const v = versionsOf(list(release(2, { image: 'img:a' }), release(1, { image: 'img:a' })), {
      labels: new Map(),
      sameConfig: () => false,
    });
    expect(v[0]?.kind).toBe('deploy');
  });

  it("cutover's own label wins, with the operator and the strategy it chose", () => {
    const labels = new Map<number, ReleaseLabel>([
      [
        2,
        {
          kind: 'rollback',
          rollbackOf: 1,
          user: 'alice',
          strategy: 'bluegreen',
          at: 0,
          note: 'image and config of v1',
        },
      ],
    ]);
    const [v2] = versionsOf(list(release(2, { image: 'img:new' }), release(1)), {
      labels,
      sameConfig: () => null,
    });
    expect(v2).toMatchObject({
      kind: 'rollback',
      rollbackOf: 1,
      user: 'alice (cutover)',
      strategy: 'bluegreen',
      description: 'complete; image and config of v1',
    });
  });

  it('H1: after a failed release, rollback goes to the last good one; otherwise to the one before with another image', () => {
    expect(
      defaultRollbackTarget(list(release(4, { status: 'failed' }), release(3), release(2)) as FlyRelease[]),
    ).toBe(3);
    expect(defaultRollbackTarget(list(release(4, { status: 'running' }), release(3)) as FlyRelease[])).toBe(
      3,
    );
    expect(
      defaultRollbackTarget(
        list(
          release(5, { image: 'a' }),
          release(4, { image: 'a' }),
          release(3, { status: 'failed' }),
          release(2, { image: 'b' }),
        ),
      ),
    ).toBe(2);
    expect(defaultRollbackTarget(list(release(1)))).toBeNull();
  });
});
