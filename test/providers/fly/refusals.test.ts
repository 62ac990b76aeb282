// Bad input on Fly: no token, an unknown app, `fly` not installed, a name that is no Fly app
// name: exit 2, a message that says what to do, and nothing run (no `fly`, no change to Fly).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlySandbox, flyToml, TOKEN } from '../../fakes/fly/fly-sandbox.ts';

let fly: FlySandbox;
beforeEach(async () => {
  fly = await FlySandbox.start();
  fly.api.createApp('shop', 'acme');
});
afterEach(async () => fly.cleanup());

const changes = () => fly.api.calls.filter((c) => c.method !== 'GET');

// Real processes and polls on a shared machine: generous limits, never a stopwatch.
describe('refusals on Fly', { timeout: 180_000 }, () => {
  it('no token anywhere: exit 2, how to log in, no request sent', async () => {
    for (const args of [
      ['status', 'shop'],
      ['watch', 'shop'],
      ['rollback', 'shop'],
      ['deploy', fly.appDir('app', { flyToml: flyToml() })],
    ]) {
      const r = await fly.run([...args, '--platform', 'fly'], { env: { FLY_API_TOKEN: '' } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('not logged in: run fly auth login or set FLY_API_TOKEN');
    }
    expect(fly.api.calls).toEqual([]);
    fly.verifyFly();
  });

  it('the token fly auth login left in ~/.fly/config.yml is enough', async () => {
    mkdirSync(join(fly.userHome, '.fly'));
    writeFileSync(join(fly.userHome, '.fly', 'config.yml'), `access_token: ${TOKEN}\nsend_metrics: true\n`);
    const r = await fly.run(['history', 'shop', '--platform', 'fly', '--json'], {
      env: { FLY_API_TOKEN: '' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual([]);
  });

  it('an unknown app: exit 2 for every command, and nothing run', async () => {
    for (const args of [
      ['status', 'nope'],
      ['watch', 'nope'],
      ['rollback', 'nope'],
      ['rollover', 'nope'],
      ['stop', 'nope', '--yes'],
      ['history', 'nope'],
    ]) {
      const r = await fly.run([...args, '--platform', 'fly']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('app nope not found on Fly');
    }
    const deploy = await fly.run([
      'deploy',
      fly.appDir('nope', { flyToml: flyToml({ app: 'nope' }) }),
      '--platform',
      'fly',
    ]);
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toContain('app nope not found on Fly');
    expect(changes()).toEqual([]);
    fly.verifyFly();
  });

  it('fly not installed: exit 2 naming how to install it, and nothing run; watching still works', async () => {
    const noFly = { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` };
    const dir = fly.appDir('app', { flyToml: flyToml() });
    for (const args of [
      ['deploy', dir],
      ['rollback', 'shop'],
      ['rollover', 'shop'],
      ['logs', 'shop'],
    ]) {
      const r = await fly.run([...args, '--platform', 'fly'], { env: noFly });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(
        'fly (flyctl) is not installed or not on PATH: install it with `curl -L https://fly.io/install.sh | sh`',
      );
    }
    expect(changes()).toEqual([]);
    expect((await fly.run(['status', 'shop', '--platform', 'fly'], { env: noFly })).code).toBe(0);
    fly.verifyFly();
  });

  it('a directory without fly.toml, or a name Fly would refuse: exit 2, nothing run', async () => {
    const empty = join(fly.root, 'empty');
    mkdirSync(empty);
    const r = await fly.run(['deploy', empty, '--platform', 'fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no fly.toml in ${empty}: run fly launch there first`);
    const bad = await fly.run(['status', 'Shop_1', '--platform', 'fly']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Shop_1" is not a Fly app name');
    expect(fly.api.calls).toEqual([]);
    fly.verifyFly();
  });

  it('pause and resume are not offered, and say why', async () => {
    const r = await fly.run(['pause', 'shop', '--platform', 'fly']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Fly has no pause: flyctl runs a deploy to its end');
    expect(changes()).toEqual([]);
  });

  it('a strategy flyctl does not have is refused with the ones it has', async () => {
    const r = await fly.run(['rollover', 'shop', '--platform', 'fly', '--strategy', 'recreate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--strategy must be rolling, immediate, canary, bluegreen on fly, got "recreate"',
    );
    fly.verifyFly();
  });

  it('-a APP names the app as flyctl takes it; named twice or empty: exit 2, nothing run', async () => {
    const positional = await fly.run(['history', 'shop', '--platform', 'fly', '--json']);
    const flagged = await fly.run(['history', '-a', 'shop', '--platform', 'fly', '--json']);
    expect(flagged.code, flagged.stderr).toBe(0);
    expect(flagged.stdout).toBe(positional.stdout);
    const unknown = await fly.run(['status', '--app', 'nope', '--platform', 'fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nope');
    fly.api.calls.length = 0;
    const twice = await fly.run(['rollover', 'shop', '-a', 'shop', '--platform', 'fly']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('rollover: the app is named twice (-a shop and "shop")');
    const empty = await fly.run(['stop', '-a', '', '--platform', 'fly', '--yes']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('stop: -a needs an app name');
    expect(fly.api.calls).toEqual([]);
    fly.verifyFly();
  });
});
