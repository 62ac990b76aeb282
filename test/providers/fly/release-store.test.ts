// The release store: owner-only (0700 directories, 0600 files), first observation wins, and no
// symbolic link followed anywhere under it.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReleaseStore } from '../../../src/providers/fly/release-store.ts';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-fly-store-'));
  roots.push(dir);
  return join(dir, 'fly');
}

const mode = (path: string) => lstatSync(path).mode & 0o777;
const observed = (image: string) => ({ observedAt: 1, image, configs: {}, secrets: null });

describe('the release store', () => {
  it('keeps each fact in its own owner-only file, keyed by app and release', () => {
    const dir = root();
    const store = new ReleaseStore(dir);
    store.recordFlyToml('shop', 3, 'app = "shop"\n');
    store.setLabel('shop', 4, {
      kind: 'rollback',
      rollbackOf: 3,
      user: 'alice',
      strategy: null,
      at: 1,
      note: null,
    });
    store.recordSecrets('shop', 3, { DATABASE_URL: 'abc' });
    const app = join(dir, 'apps', 'shop');
    expect([mode(dir), mode(join(dir, 'apps')), mode(app)]).toEqual([0o700, 0o700, 0o700]);
    expect(readdirSync(app).sort()).toEqual(['v3.fly.toml', 'v3.secrets.json', 'v4.label.json']);
    for (const f of readdirSync(app)) expect(mode(join(app, f))).toBe(0o600);
    expect(store.flyToml('shop', 3)).toBe('app = "shop"\n');
    expect(store.labels('shop').get(4)?.rollbackOf).toBe(3);
  });

  it('records the first observation of a release only', () => {
    const store = new ReleaseStore(root());
    expect(store.recordObserved('shop', 2, observed('first'))).toBe(true);
    expect(store.recordObserved('shop', 2, observed('second'))).toBe(false);
    expect(store.observed('shop', 2)?.image).toBe('first');
  });

  it('refuses a symbolic link instead of following it, for a file and for a directory', () => {
    const dir = root();
    const store = new ReleaseStore(dir);
    store.appDir('shop');
    const elsewhere = join(dir, '..', 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'secret'), 'not yours');
    symlinkSync(join(elsewhere, 'secret'), join(dir, 'apps', 'shop', 'v1.fly.toml'));
    expect(() => store.flyToml('shop', 1)).toThrow(/symbolic link/);
    symlinkSync(elsewhere, join(dir, 'apps', 'cart'));
    expect(() => store.appDir('cart')).toThrow(/symbolic link/);
  });

  it('refuses an app name that is not a Fly app name (it becomes a path)', () => {
    expect(() => new ReleaseStore(root()).appDir('../etc')).toThrow('"../etc" is not a Fly app name');
  });
});
