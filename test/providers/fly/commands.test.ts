// The other commands on Fly through the real CLI: stop (T1: every machine stopped through the
// Machines API under a lease, warning that auto-start wakes them), rollover (O1: `fly deploy -i
// <current image>`, a new release of kind rollover), logs (`fly logs --json`), and inputs from the
// metrics API where the token reaches it ("not reported" with the reason where it does not).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeApp } from '../../fakes/fly/fake-app.ts';
import { FlySandbox, flyToml } from '../../fakes/fly/fly-sandbox.ts';
import { waitFor } from '../../local/platform/cli.ts';
import type { HistoryEntryJson } from '../../local/platform/sandbox.ts';

let fly: FlySandbox;
let app: FakeApp;
let v1Toml: string;
beforeEach(async () => {
  fly = await FlySandbox.start();
  app = fly.api.createApp('shop', 'acme');
  v1Toml = flyToml();
  await fly.deploy(fly.appDir('v1', { flyToml: v1Toml }));
  fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
  fly.expectFly('deploy', '-a', 'shop');
});
afterEach(async () => fly.cleanup());

interface StatusJson {
  status: string;
  containers: { id: string; state: string }[];
  inputs: { inFlight: number | null };
}

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('Fly commands', { timeout: 180_000 }, () => {
  it('T1: stop takes a lease on each machine, stops it, says auto-start will wake them; no fly run', async () => {
    const ids = [...app.machines.keys()];
    fly.api.calls.length = 0;
    const r = await fly.run(['stop', 'shop', '--platform', 'fly', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('stopped 2 machines of shop');
    expect(r.stderr).toContain(
      "warning: auto-start is on for app: Fly's proxy starts these machines again on the next request",
    );
    for (const id of ids) {
      expect(
        fly.api
          .callsTo(new RegExp(`^(POST|DELETE) /v1/apps/shop/machines/${id}/`))
          .map((c) => `${c.method} ${c.path.split('/').pop()}`),
      ).toEqual(['POST lease?ttl=30', 'POST stop', 'DELETE lease']);
    }
    await waitFor('machines stopped', () => [...app.machines.values()].every((m) => m.state === 'stopped'));
    const status = (await fly.run(['status', 'shop', '--platform', 'fly', '--json'])).json<StatusJson>();
    expect(status.status).toBe('stopped');
    // A request wakes one (Fly's auto-start): the app is no longer stopped.
    app.start(app.machines.get(ids[0]!)!);
    await waitFor('woken', () => app.machines.get(ids[0]!)?.state === 'started');
    expect((await fly.run(['status', 'shop', '--platform', 'fly', '--json'])).json<StatusJson>().status).toBe(
      'deployed',
    );
    fly.verifyFly();
  });

  it('O1: rollover deploys the current image with its recorded fly.toml as a new release of kind rollover', async () => {
    const image = app.releases[0]!.image_ref;
    const r = await fly.run(['rollover', 'shop', '--platform', 'fly', '--strategy', 'immediate']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('shop v2: rolled over v1 (image and config of v1)');
    fly.expectFly('secrets', 'list', '-a', 'shop', '--json');
    fly.expectFly('deploy', '-a', 'shop', '-i', image, '--strategy', 'immediate', '-c', /fly\.toml$/);
    fly.verifyFly();
    expect(fly.flyCalls().at(-1)?.config).toBe(v1Toml);
    const history = (await fly.run(['history', 'shop', '--platform', 'fly', '--json'])).json<
      HistoryEntryJson[]
    >();
    expect(history[0]).toMatchObject({
      version: 2,
      kind: 'rollover',
      strategy: 'immediate',
      outcome: 'active',
      image,
    });
  });

  it('logs come from fly logs --json, the last N lines of each machine', async () => {
    const r = await fly.run(['logs', 'shop', '--platform', 'fly', '--tail', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(
      [...app.machines.keys()].map((id) => `[${id}] GET /healthz 200`).sort(),
    );
    fly.expectFly('logs', '-a', 'shop', '--json', '--no-tail');
    fly.verifyFly();
  });

  it('inputs: in flight per machine and rates from the metrics API; not reported, with the reason, when refused', async () => {
    const watch = fly.watchJson('shop');
    const refused = await watch.until('the refusal said', (x) => x.inputsNote?.includes('refused') === true);
    await watch.stop();
    expect(refused.inputs.inFlight).toBeNull();
    expect(refused.inputsNote).toBe(
      "inputs not reported: Fly's metrics API refused this token for org acme (Fly refused (403 from " +
        `${new URL(fly.api.url).host}): token cannot read metrics of this org)`,
    );
    const without = (await fly.run(['status', 'shop', '--platform', 'fly', '--json'])).json<StatusJson>();
    expect(without.inputs.inFlight).toBeNull();
    fly.api.metricsOrgs.add('acme');
    const status = (await fly.run(['status', 'shop', '--platform', 'fly', '--json'])).json<StatusJson>();
    // Two started machines, two requests in flight each (the fake's fly_app_concurrency).
    expect(status.inputs.inFlight).toBe(4);
    expect(status.containers.every((c) => c.state === 'ready')).toBe(true);
    expect(
      fly.api.callsTo(
        /^GET \/prometheus\/acme\/api\/v1\/query\?query=sum\(fly_app_concurrency%7Bapp%3D%22shop%22%7D\)/,
      ).length,
    ).toBeGreaterThan(0);
  });

  it("apps lists the organisation's apps with their current release; without an org it says to give one", async () => {
    fly.api.createApp('cart', 'acme');
    fly.api.createApp('elsewhere', 'other-org');
    const r = await fly.run(['apps', '--platform', 'fly', '--org', 'acme', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual([
      { app: 'shop', appId: 'shop', status: 'deployed', version: 1 },
      { app: 'cart', appId: 'cart', status: 'deployed', version: null },
    ]);
    const none = await fly.run(['apps', '--platform', 'fly']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Fly lists apps per organisation: give --org ORG');
  });
});
