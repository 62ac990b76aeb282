// The fake `fly` itself: it prints flyctl's --json formats as Go prints them (field names and
// order, 4-space indent), logs every call (even a bad one), and refuses to run outside a test.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_FLY_BIN, FlySandbox, flyToml } from './fly-sandbox.ts';

let fly: FlySandbox;
beforeAll(async () => {
  fly = await FlySandbox.start();
  fly.api.createApp('shop', 'acme').setSecret('DATABASE_URL', 'postgres://one');
  await fly.flyDeploy(fly.appDir('v1', { flyToml: flyToml() }));
});
afterAll(async () => fly.cleanup());

const keys = (text: string) => Object.keys(JSON.parse(text) as object);
const first = (text: string) => (JSON.parse(text) as object[])[0] as object;

describe('the fake fly', () => {
  it('releases --json: fly.Release with Go field names, in struct order, Version descending', async () => {
    const r = await fly.fly(['releases', '--json', '-a', 'shop'], fly.root);
    expect(r.stdout.split('\n')[1]).toBe('    {');
    expect(Object.keys(first(r.stdout))).toEqual([
      'ID',
      'Version',
      'Stable',
      'InProgress',
      'Reason',
      'Description',
      'Status',
      'DeploymentStrategy',
      'Metadata',
      'User',
      'EvaluationID',
      'CreatedAt',
      'ImageRef',
    ]);
    expect(first(r.stdout)).toMatchObject({
      Version: 1,
      Status: 'complete',
      User: { Email: 'ops@example.com', EnablePaidHobby: false },
    });
  });

  it('status --json: a Go map, so its keys sorted; only v2-platform machines', async () => {
    const r = await fly.fly(['status', '--json', '-a', 'shop'], fly.root);
    expect(keys(r.stdout)).toEqual([
      'AppURL',
      'Deployed',
      'Hostname',
      'ID',
      'Machines',
      'Name',
      'Organization',
      'PlatformVersion',
      'Status',
      'Version',
    ]);
    expect(JSON.parse(r.stdout) as { Machines: unknown[]; Version: number }).toMatchObject({ Version: 1 });
    expect((JSON.parse(r.stdout) as { Machines: unknown[] }).Machines).toHaveLength(2);
  });

  it('machines list --json: fly-go Machine fields in struct order', async () => {
    const r = await fly.fly(['machines', 'list', '--json', '-a', 'shop'], fly.root);
    expect(Object.keys(first(r.stdout))).toEqual([
      'id',
      'name',
      'state',
      'region',
      'image_ref',
      'instance_id',
      'private_ip',
      'created_at',
      'updated_at',
      'config',
      'events',
      'checks',
      'host_status',
      'cordoned',
    ]);
  });

  it('secrets list --json: names, digests and status, never values', async () => {
    const r = await fly.fly(['secrets', 'list', '--json', '-a', 'shop'], fly.root);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'DATABASE_URL', digest: expect.stringMatching(/^[0-9a-f]{16}$/), status: 'Deployed' },
    ]);
    expect(r.stdout).not.toContain('postgres://one');
  });

  it('logs a call it cannot parse too, so a check of the calls catches it', async () => {
    const r = await fly.fly(['deploy', '--bogus'], fly.root);
    expect([r.code, r.stderr]).toEqual([1, 'Error: unknown flag: --bogus\n']);
    expect(fly.flyCalls().at(-1)?.args).toEqual(['deploy', '--bogus']);
  });

  it('refuses to run without a call log: it is not a flyctl', async () => {
    const code = await new Promise<number>((resolve) =>
      execFile(join(FAKE_FLY_BIN, 'fly'), ['version'], { env: { PATH: process.env.PATH } }, (error) =>
        resolve((error as { code?: number } | null)?.code ?? 0),
      ),
    );
    expect(code).toBe(99);
  });
});
