// The token where flyctl finds it (internal/config/config.go), and the headers fly-go builds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiAuthorization,
  findToken,
  machinesAuthorization,
  parseToken,
  topLevelScalar,
} from '../../../src/providers/fly/fly-token.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function home(configYml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-fly-token-'));
  dirs.push(dir);
  if (configYml !== undefined) {
    mkdirSync(join(dir, '.fly'));
    writeFileSync(join(dir, '.fly', 'config.yml'), configYml);
  }
  return dir;
}

describe('the Fly token', () => {
  it('FLY_ACCESS_TOKEN, then FLY_API_TOKEN, win over the config file', () => {
    const h = home('access_token: from-file\n');
    expect(findToken({ HOME: h, FLY_API_TOKEN: 'api', FLY_ACCESS_TOKEN: 'access' }).others).toEqual([
      'access',
    ]);
    expect(findToken({ HOME: h, FLY_API_TOKEN: 'api' }).others).toEqual(['api']);
    expect(findToken({ HOME: h }).others).toEqual(['from-file']);
  });

  it('reads access_token from ~/.fly/config.yml as yaml.v3 writes it, or from $FLY_CONFIG_DIR', () => {
    const yml =
      'access_token: "FlyV1 fm2_abc,fm2_def"\nlast_login: 2026-11-30T10:00:00Z\nsend_metrics: true\n';
    expect(findToken({ HOME: home(yml) }).macaroons).toEqual(['fm2_abc', 'fm2_def']);
    const other = home();
    writeFileSync(join(other, 'config.yml'), "access_token: 'plain-token'\n");
    expect(findToken({ HOME: home(), FLY_CONFIG_DIR: other }).others).toEqual(['plain-token']);
    expect(topLevelScalar('metrics_token: x\naccess_token: y # comment\n', 'access_token')).toBe('y');
  });

  it('none anywhere: a usage error saying how to log in', () => {
    expect(() => findToken({ HOME: home() })).toThrow(
      'not logged in: run fly auth login or set FLY_API_TOKEN',
    );
    expect(() => findToken({ HOME: home('access_token: ""\n') })).toThrow('not logged in');
  });

  it('macaroons go as FlyV1 to the Machines API; everything as Bearer to api.fly.io (fly-go tokens.go)', () => {
    const token = parseToken('FlyV1 fm2_one, oauth_two', 'test');
    expect(machinesAuthorization(token)).toBe('FlyV1 fm2_one');
    expect(apiAuthorization(token)).toBe('Bearer fm2_one,oauth_two');
    expect(machinesAuthorization(parseToken('Bearer abc', 'test'))).toBe('Bearer abc');
  });
});
