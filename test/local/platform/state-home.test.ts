// Issue 13, defects 7 and 12: a state directory is trusted only when it is the user's own and
// no one else can write into it, and a symbolic link planted in it is refused, never followed.
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cutover } from './cli.ts';

const NOBODY = 65534;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A directory someone other than the test's user owns: chowned when root, else the root directory. */
function foreignHome(): string {
  if (process.getuid?.() !== 0) return '/';
  const dir = tempDir('cutover-foreign-home-');
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

describe('the state directory (local platform)', () => {
  it('refuses a CUTOVER_HOME someone else owns (exit 2, says whose), and writes nothing into it', async () => {
    const home = foreignHome();
    const result = await cutover(home, ['apps', '--json'], { cwd: '/' });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/is owned by uid \d+, not by you \(uid \d+\); refusing to use it/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(result.json()).toMatchObject({ error: { code: 'unsafe-home' } });
    expect(existsSync(join(home, 'cutover.db'))).toBe(false);
    expect(existsSync(join(home, 'daemon.sock'))).toBe(false);
  });

  it('a user who cannot reach the daemon is told why in one line, not with an EPERM stack', async () => {
    // Root's own state directory, used by another user: nothing there is theirs to open.
    const home = tempDir('cutover-root-home-');
    const asOther = process.getuid?.() === 0 ? { uid: NOBODY } : {};
    const target = process.getuid?.() === 0 ? home : '/';
    const result = await cutover(target, ['status', 'shop'], { cwd: '/', ...asOther });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^cutover status: the state directory .* is owned by uid 0, not by you/);
  });

  it('refuses a CUTOVER_HOME that others can write into', async () => {
    const home = tempDir('cutover-open-home-');
    chmodSync(home, 0o777);
    const result = await cutover(home, ['daemon', 'start']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/is writable by others \(mode 777\); refusing to use it/);
    expect(existsSync(join(home, 'daemon.pid'))).toBe(false);
  });

  it('a daemon.log planted as a symbolic link is refused, and the file it points to is untouched', async () => {
    const home = tempDir('cutover-planted-home-');
    chmodSync(home, 0o700);
    const elsewhere = join(tempDir('cutover-victim-'), 'victim.txt');
    writeFileSync(elsewhere, 'precious\n');
    symlinkSync(elsewhere, join(home, 'daemon.log'));
    const result = await cutover(home, ['daemon', 'start']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/daemon\.log is a symbolic link; refusing to follow it/);
    expect(readFileSync(elsewhere, 'utf8')).toBe('precious\n');
    expect(existsSync(join(home, 'daemon.pid'))).toBe(false);
  });
});
