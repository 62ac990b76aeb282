// B1/B2 on Fly: what a rollback restores (image, the recorded fly.toml) and what it says it
// cannot (config keys when only the image comes back, secret digests, mounts).
import { describe, expect, it } from 'vitest';
import { observedConfigOf } from '../../../src/providers/fly/config-diff.ts';
import type { FlyMachine, FlyRelease } from '../../../src/providers/fly/fly-types.ts';
import type { ObservedConfig } from '../../../src/providers/fly/release-store.ts';
import { planRollback } from '../../../src/providers/fly/rollback-plan.ts';
import { machine, release } from '../../fakes/fly/recorded.ts';

const releases = [release(3), release(2), release(1)] as FlyRelease[];

function configs(change: (m: ReturnType<typeof machine>) => void = () => {}): Record<string, ObservedConfig> {
  const m = machine({});
  change(m);
  return { app: observedConfigOf(m as unknown as FlyMachine) };
}

const v1 = configs();
const now = configs((m) => {
  m.config.env.LOG_LEVEL = 'debug';
  (m.config.env as Record<string, string>).FEATURE = 'on';
  m.config.guest.memory_mb = 512;
  (m.config as Record<string, unknown>).mounts = [{ volume: 'vol_1', name: 'data', path: '/data' }];
});

describe('a Fly rollback plan', () => {
  it('B1: restores vN image and recorded fly.toml, and names the keys that change back', () => {
    const plan = planRollback({
      app: 'shop',
      releases,
      to: 1,
      flyToml: (v) => (v === 1 ? 'app = "shop"\n' : null),
      configs: (v) => (v === 1 ? v1 : now),
      secretsAt: () => ({ DATABASE_URL: 'aaa', OLD: 'x' }),
      configsNow: now,
      secretsNow: { DATABASE_URL: 'bbb', STRIPE_KEY: 'c' },
    });
    expect(plan.image).toBe('registry.fly.io/shop:deployment-1');
    expect(plan.flyToml).toBe('app = "shop"\n');
    expect(plan.warnings).toEqual([
      "config restored to v1's fly.toml: app: env: FEATURE removed, LOG_LEVEL changed; app: VM size shared-cpu-1x 512MB → shared-cpu-1x 256MB",
      'secrets not restored: DATABASE_URL changed since v1 (digest differs), OLD removed since v1, STRIPE_KEY added since v1',
      'infrastructure not restored: app: volume data at /data was added after v1',
    ]);
  });

  it('a release never recorded: only the image, and it says it cannot tell the rest', () => {
    const plan = planRollback({
      app: 'shop',
      releases,
      to: 1,
      flyToml: () => null,
      configs: () => null,
      secretsAt: () => null,
      configsNow: now,
      secretsNow: { DATABASE_URL: 'bbb' },
    });
    expect(plan.flyToml).toBeNull();
    expect(plan.warnings).toEqual([
      "only the image can be restored; the config stays as it is now (v1's config was never recorded)",
      'secrets not restored: their digests at v1 were never recorded, so cutover cannot tell which changed (secrets now: DATABASE_URL)',
      "infrastructure not restored: volumes and mounts are not part of a release (v1's were never observed)",
    ]);
  });

  it('a release made elsewhere but observed: only the image, and the keys that stay as they are now', () => {
    const plan = planRollback({
      app: 'shop',
      releases,
      to: 1,
      flyToml: () => null,
      configs: (v) => (v === 1 ? v1 : now),
      secretsAt: () => ({ DATABASE_URL: 'bbb' }),
      configsNow: now,
      secretsNow: { DATABASE_URL: 'bbb' },
    });
    expect(plan.warnings.slice(0, 2)).toEqual([
      'only the image can be restored; the config stays as it is now (v1 was deployed outside cutover)',
      'config not restored, v1 differed from now in: app: env: FEATURE removed, LOG_LEVEL changed; app: VM size shared-cpu-1x 512MB → shared-cpu-1x 256MB',
    ]);
  });

  it('an unknown version is not-found (exit 2), naming the releases there are', () => {
    expect(() =>
      planRollback({
        app: 'shop',
        releases,
        to: 9,
        flyToml: () => null,
        configs: () => null,
        secretsAt: () => null,
        configsNow: null,
        secretsNow: null,
      }),
    ).toThrow('shop has no release v9 (releases: v1…v3)');
  });
});
