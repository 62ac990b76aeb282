// Each of flyctl's strategies, chosen with `--strategy`, reaches the Machines API in flyctl's own
// order (internal/command/deploy): rolling updates a spearhead and waits for it before the rest,
// canary starts and destroys a canary machine first, immediate updates everything without waiting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeCall } from '../../fakes/fly/fly-api-fake.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';

let fly: FlySandbox;
let ids: string[];
beforeEach(async () => {
  fly = await FlySandbox.start();
  const app = fly.api.createApp('shop', 'acme');
  await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }), { FAKE_FLY_FIRST_MACHINES: '3' });
  ids = [...app.machines.keys()].sort();
  fly.api.calls.length = 0;
});
afterEach(async () => fly.cleanup());

/** The calls flyctl made to machines after taking the leases, as `update ID`, `wait ID`, … */
function steps(calls: FakeCall[]): string[] {
  return calls
    .map((c) => {
      const m = /^\/v1\/apps\/shop\/machines(?:\/([0-9a-f]+))?(?:\/(\w+))?/.exec(c.path);
      if (!m) return null;
      if (c.method === 'POST' && !m[1]) return 'create';
      if (c.method === 'POST' && m[1] && !m[2]) return `update ${m[1]}`;
      if (c.method === 'GET' && m[2] === 'wait') return `wait ${m[1]}`;
      if (c.method === 'DELETE' && !m[2]) return `destroy ${m[1]}`;
      return null;
    })
    .filter((s): s is string => s !== null);
}

async function rollover(strategy: string) {
  const image = fly.api.apps.get('shop')!.releases[0]!.image_ref;
  const r = await fly.run(['rollover', 'shop', '--platform', 'fly', '--strategy', strategy]);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  fly.expectFly('deploy');
  fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
  // v1 was deployed outside cutover: no fly.toml of its own to pass, Fly's current config stays.
  fly.expectFly('deploy', '-a', 'shop', '-i', image, '--strategy', strategy);
  fly.verifyFly();
}

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe("flyctl's strategies", { timeout: 180_000 }, () => {
  it('rolling: the lowest ID first and waited for, then the others one pool at a time', async () => {
    await rollover('rolling');
    const s = steps(fly.api.calls).filter((x) => !x.startsWith('destroy'));
    expect(s.filter((x) => x.startsWith('update'))).toEqual(ids.map((id) => `update ${id}`));
    // ceil(3 × 0.33) = 1: every update waits for the one before it.
    for (const [i, id] of ids.entries()) {
      if (i === 0) continue;
      expect(s.indexOf(`wait ${ids[i - 1]}`)).toBeLessThan(s.indexOf(`update ${id}`));
    }
  });

  it('canary: a canary machine is created and destroyed before any machine is updated', async () => {
    await rollover('canary');
    const s = steps(fly.api.calls);
    expect(s[0]).toBe('create');
    const destroyed = s.findIndex((x) => x.startsWith('destroy'));
    expect(destroyed).toBeGreaterThan(0);
    expect(s.findIndex((x) => x.startsWith('update'))).toBeGreaterThan(destroyed);
    expect(s.filter((x) => x.startsWith('update'))).toEqual(ids.map((id) => `update ${id}`));
  });

  it('immediate: every machine updated at once, nothing waited for', async () => {
    await rollover('immediate');
    expect(steps(fly.api.calls)).toEqual(ids.map((id) => `update ${id}`));
  });
});
