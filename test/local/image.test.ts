// D4, B1: images are content-addressed snapshots; a version runs its image, never the working dir.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_OUTPUT_LIMIT, buildImage } from '../../src/local/image/build.ts';
import { pruneImages } from '../../src/local/image/collection.ts';
import { ImageError, shortRef } from '../../src/local/image/image.ts';
import { removeTree } from '../../src/local/image/objects.ts';
import { snapshotImage } from '../../src/local/image/snapshot.ts';

let work: string;
let app: string;
let imagesDir: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'cutover-image-'));
  app = path.join(work, 'app');
  imagesDir = path.join(work, 'state', 'images');
  write('server.js', 'console.log("v1")\n');
  write('lib/util.js', 'export const x = 1;\n');
});
afterEach(async () => {
  await removeTree(work); // images are read-only: a plain rm -r fails for anyone but root
});

function write(rel: string, content: string): void {
  const file = path.join(app, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Every path stored in an image, relative and sorted. */
function filesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

const snapshot = (over: { exclude?: string[]; includeNodeModules?: boolean; build?: string | null } = {}) =>
  snapshotImage({ dir: app, imagesDir, exclude: [], includeNodeModules: false, build: null, ...over });

describe('snapshotImage', () => {
  it('gives the same files the same ref, and reuses the stored image', async () => {
    const first = await snapshot();
    expect(first.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(first.reused).toBe(false);
    expect(first.path).toBe(path.join(imagesDir, first.ref.slice('sha256:'.length)));
    expect(first.sizeBytes).toBe('console.log("v1")\n'.length + 'export const x = 1;\n'.length);
    expect(shortRef(first.ref)).toBe(first.ref.slice(7, 23));

    const second = await snapshot();
    expect(second).toEqual({ ...first, reused: true });
    // No temporary left behind: the image, and the objects its files link to.
    expect(readdirSync(imagesDir).sort()).toEqual(['.objects', path.basename(first.path)]);
  });

  it('changes the ref when a file, an executable bit, a name or the build command changes', async () => {
    const base = (await snapshot()).ref;
    write('server.js', 'console.log("v2")\n');
    const edited = (await snapshot()).ref;
    expect(edited).not.toBe(base);

    chmodSync(path.join(app, 'server.js'), 0o755);
    const executable = (await snapshot()).ref;
    expect(executable).not.toBe(edited);

    const built = (await snapshot({ build: 'make' })).ref;
    expect(built).not.toBe(executable);

    mkdirSync(path.join(app, 'uploads'));
    const withDir = (await snapshot()).ref;
    expect(withDir).not.toBe(executable);
    expect(new Set([base, edited, executable, built, withDir]).size).toBe(5);
  });

  it('skips .git and node_modules, and honours exclude patterns', async () => {
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('node_modules/left-pad/index.js', 'module.exports = 1;\n');
    write('lib/node_modules/x.js', 'nested\n');
    write('tmp/cache.bin', 'cache\n');
    write('lib/tmp/keep-me.js', 'anchored\n');
    write('debug.log', 'noise\n');
    write('lib/trace.log', 'noise\n');
    write('config/secret.json', '{}\n');
    write('config/app.json', '{}\n');
    const image = await snapshot({ exclude: ['/tmp/', '*.log', 'config/secret.json'] });
    expect(filesIn(image.path)).toEqual([
      'config',
      'config/app.json',
      'lib',
      'lib/tmp',
      'lib/tmp/keep-me.js',
      'lib/util.js',
      'server.js',
    ]);

    const withModules = await snapshot({
      exclude: ['/tmp/', '*.log', 'config/secret.json'],
      includeNodeModules: true,
    });
    expect(withModules.ref).not.toBe(image.ref);
    expect(filesIn(withModules.path)).toContain('node_modules/left-pad/index.js');
    expect(filesIn(withModules.path)).toContain('lib/node_modules/x.js');
    expect(filesIn(withModules.path)).not.toContain('.git');
  });

  it('matches unanchored directory patterns at any depth, and only directories', async () => {
    write('tmp/a', 'a\n');
    write('lib/tmp/b', 'b\n');
    write('build', 'a file named like the directory pattern\n');
    const image = await snapshot({ exclude: ['tmp/', 'build/'] });
    expect(filesIn(image.path)).toEqual(['build', 'lib', 'lib/util.js', 'server.js']);
  });

  it('is not changed by later edits to the working directory (B1)', async () => {
    const image = await snapshot();
    write('server.js', 'console.log("edited after the snapshot")\n');
    rmSync(path.join(app, 'lib'), { recursive: true });
    write('new.js', 'new\n');
    expect(readFileSync(path.join(image.path, 'server.js'), 'utf8')).toBe('console.log("v1")\n');
    expect(filesIn(image.path)).toEqual(['lib', 'lib/util.js', 'server.js']);
  });

  it('stores images read-only, keeping the executable bit; only the owner can reach them', async () => {
    chmodSync(path.join(app, 'server.js'), 0o755);
    chmodSync(path.join(app, 'lib/util.js'), 0o664);
    const image = await snapshot();
    const mode = (rel: string) => statSync(path.join(image.path, rel)).mode & 0o777;
    expect(mode('')).toBe(0o555);
    expect(mode('lib')).toBe(0o555);
    expect(mode('server.js')).toBe(0o555);
    expect(mode('lib/util.js')).toBe(0o444);
    expect(statSync(imagesDir).mode & 0o777).toBe(0o700);
  });

  it('stores a file that did not change between versions once (the same inode), and frees it with the last image', async () => {
    write('big.bin', 'x'.repeat(5 * 1024 * 1024));
    const first = await snapshot();
    write('server.js', 'console.log("v2")\n');
    const second = await snapshot();
    expect(second.ref).not.toBe(first.ref);
    const inode = (image: { path: string }, rel: string) => statSync(path.join(image.path, rel)).ino;
    expect(inode(second, 'big.bin')).toBe(inode(first, 'big.bin'));
    expect(inode(second, 'server.js')).not.toBe(inode(first, 'server.js'));
    const objects = path.join(imagesDir, '.objects');
    expect(readdirSync(objects)).toHaveLength(4); // big.bin, util.js, and server.js twice

    await pruneImages({ imagesDir, keep: new Set([second.ref]) });
    expect(readdirSync(objects)).toHaveLength(3);
    await pruneImages({ imagesDir, keep: new Set() });
    expect(readdirSync(objects)).toEqual([]);
  });

  it('copies symlinks that stay inside as relative links, and refuses ones that leave', async () => {
    symlinkSync('lib/util.js', path.join(app, 'util.js'));
    symlinkSync(path.join(app, 'lib'), path.join(app, 'lib-abs'));
    const image = await snapshot();
    expect(readlinkSync(path.join(image.path, 'util.js'))).toBe('lib/util.js');
    expect(readlinkSync(path.join(image.path, 'lib-abs'))).toBe('lib'); // no way back to the working dir
    expect(readFileSync(path.join(image.path, 'lib-abs/util.js'), 'utf8')).toBe('export const x = 1;\n');

    writeFileSync(path.join(work, 'outside.txt'), 'outside\n');
    symlinkSync('../outside.txt', path.join(app, 'escape'));
    await expect(snapshot()).rejects.toThrow(ImageError);
    await expect(snapshot()).rejects.toThrow(
      `${path.join(app, 'escape')}: symlink points outside the app directory`,
    );
  });

  it('does not snapshot the images directory when it lives inside the app', async () => {
    imagesDir = path.join(app, '.cutover', 'images');
    const first = await snapshot();
    const second = await snapshot();
    expect(second.ref).toBe(first.ref);
    expect(filesIn(first.path)).toEqual(['.cutover', 'lib', 'lib/util.js', 'server.js']);
  });
});

describe('buildImage', () => {
  it('runs the command in the image, streams lines, and skips a built image', async () => {
    const command = 'echo building; mkdir dist && echo "$GREETING" > dist/out.txt; echo oops >&2';
    const image = await snapshot({ build: command });
    const lines: string[] = [];
    const result = await buildImage({
      image,
      command,
      env: { GREETING: 'hello' },
      onOutput: (l) => lines.push(l),
    });
    expect(result).toEqual({ ok: true, output: 'building\noops\n', exitCode: 0, skipped: false });
    expect(lines).toEqual(['building', 'oops']);
    expect(readFileSync(path.join(image.path, 'dist/out.txt'), 'utf8')).toBe('hello\n');
    expect(existsSync(`${image.path}.built`)).toBe(true);
    expect(existsSync(path.join(app, 'dist'))).toBe(false); // the working directory is untouched

    // A second run would fail (mkdir dist exists) if it ran: the marker skips it.
    const again = await buildImage({ image, command, env: { GREETING: 'hello' } });
    expect(again).toEqual({ ok: true, output: '', exitCode: 0, skipped: true });
  });

  it('returns a failure with its output and exit code, and leaves no marker', async () => {
    const command = 'echo "compiling"; echo "error: bad syntax" >&2; exit 3';
    const image = await snapshot({ build: command });
    const result = await buildImage({ image, command, env: {} });
    expect(result).toEqual({
      ok: false,
      output: 'compiling\nerror: bad syntax\n',
      exitCode: 3,
      skipped: false,
    });
    expect(existsSync(`${image.path}.built`)).toBe(false);

    const retry = await buildImage({ image, command, env: {} });
    expect(retry.skipped).toBe(false); // not marked built, so it runs again
    expect(retry.exitCode).toBe(3);
  });

  it('D4 runs in a copy: a build that fails half-way leaves nothing behind for the next try to trip on', async () => {
    // It makes dist/ first and fails after: the same image built again must start from the snapshot.
    const command = 'mkdir dist && echo half > dist/a.txt && test "$FINISH" = yes && echo whole > dist/a.txt';
    const image = await snapshot({ build: command });
    const failed = await buildImage({ image, command, env: { FINISH: 'no' } });
    expect(failed).toMatchObject({ ok: false, exitCode: 1 });
    expect(existsSync(image.path)).toBe(false);
    expect(readdirSync(imagesDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);

    const retry = await buildImage({ image, command, env: { FINISH: 'yes' } });
    expect(retry).toMatchObject({ ok: true, exitCode: 0 });
    expect(readFileSync(path.join(image.path, 'dist/a.txt'), 'utf8')).toBe('whole\n');
    // The snapshot itself is never built in: it stays as the app's files were.
    expect(existsSync(path.join(`${image.path}.src`, 'dist'))).toBe(false);
  });

  it('keeps only the last 64 KiB of output', async () => {
    const command = `awk 'BEGIN { for (i = 0; i < 3000; i++) printf "line %d %040d\\n", i, 0 }'; exit 1`;
    const image = await snapshot({ build: command });
    const result = await buildImage({ image, command, env: {} });
    expect(result.ok).toBe(false);
    expect(Buffer.byteLength(result.output)).toBe(BUILD_OUTPUT_LIMIT);
    expect(result.output.endsWith(`line 2999 ${'0'.repeat(40)}\n`)).toBe(true);
  });

  it('stops a cancelled build and reports it as failed', async () => {
    const command = 'echo started; sleep 30; echo finished';
    const image = await snapshot({ build: command });
    const controller = new AbortController();
    const pending = buildImage({
      image,
      command,
      env: {},
      signal: controller.signal,
      onOutput: (line) => line === 'started' && controller.abort(),
    });
    const result = await pending;
    expect(result).toEqual({
      ok: false,
      output: 'started\nbuild cancelled\n',
      exitCode: null,
      skipped: false,
    });
    expect(existsSync(`${image.path}.built`)).toBe(false);
  });

  it('has nothing to run without a command', async () => {
    const image = await snapshot();
    expect(await buildImage({ image, command: null, env: {} })).toEqual({
      ok: true,
      output: '',
      exitCode: null,
      skipped: true,
    });
    expect(existsSync(`${image.path}.built`)).toBe(false);
  });
});

describe('pruneImages', () => {
  it('removes the images not kept, with their markers, and returns their refs', async () => {
    const a = await snapshot({ build: 'true' });
    await buildImage({ image: a, command: 'true', env: {} });
    write('server.js', 'v2\n');
    const b = await snapshot();
    write('server.js', 'v3\n');
    const c = await snapshot({ build: 'true' });
    await buildImage({ image: c, command: 'true', env: {} });

    const removed = await pruneImages({ imagesDir, keep: new Set([b.ref]) });
    expect(removed.sort()).toEqual([a.ref, c.ref].sort());
    expect(readdirSync(imagesDir).sort()).toEqual(['.objects', path.basename(b.path)]);
    expect(existsSync(path.join(b.path, 'server.js'))).toBe(true);

    expect(await pruneImages({ imagesDir, keep: new Set([b.ref]) })).toEqual([]);
    expect(await pruneImages({ imagesDir: path.join(work, 'missing'), keep: new Set() })).toEqual([]);
  });

  it('leaves a snapshot still being copied alone', async () => {
    mkdirSync(imagesDir, { recursive: true });
    mkdirSync(path.join(imagesDir, '.tmp-in-progress'));
    expect(await pruneImages({ imagesDir, keep: new Set() })).toEqual([]);
    expect(existsSync(path.join(imagesDir, '.tmp-in-progress'))).toBe(true);
  });
});
