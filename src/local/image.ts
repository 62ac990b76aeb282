// Images (D4, B1): immutable, content-addressed snapshots of an app's files plus its build output.
// A version runs its image, never the working directory, so a rollback runs exactly what it ran.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  constants,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { internalize, linkObject, pruneObjects, removeTree, seal } from './image-objects.ts';

/** A stored image: `ref` is `sha256:<hex>` over its files and build command; `path` is where it lives. */
export interface Image {
  ref: string;
  path: string;
  sizeBytes: number;
}

/** A snapshot that cannot be taken, such as a symlink that leaves the app's directory. */
export class ImageError extends Error {
  override name = 'ImageError';
}

/** Output kept from a build: the last 64 KiB. */
export const BUILD_OUTPUT_LIMIT = 64 * 1024;

// Bumped if the hashing scheme changes, so old and new refs never collide.
const HASH_SCHEME = 'cutover-image-v1';
const IMAGE_DIR = /^[0-9a-f]{64}$/;
const BUILT_SUFFIX = '.built';
const SOURCE_SUFFIX = '.src';
const TEMP_PREFIX = '.tmp-';
const TRASH_PREFIX = '.trash-';
// A snapshot still copying is never this old; older temporary directories are leftovers of a crash.
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

interface Entry {
  /** Relative path with `/` separators. */
  rel: string;
  kind: 'dir' | 'file' | 'symlink';
  executable: boolean;
  size: number;
  /** For symlinks: the target, relative to the link's directory and inside the root. */
  target: string;
}

/**
 * Snapshots `dir` (D4): skips `.git` always, `node_modules` unless asked, and the exclude
 * patterns. Same files and build command give the same ref, and the stored image is reused.
 * Without a build command the snapshot is the image, `imagesDir/<hex>/`. With one, the snapshot
 * is kept as `imagesDir/<hex>.src/` and the image appears at `path` only once its build succeeds
 * (buildImage), so a failed build leaves nothing half-built to be reused.
 */
export async function snapshotImage(o: {
  dir: string;
  imagesDir: string;
  exclude: string[];
  includeNodeModules: boolean;
  build: string | null;
}): Promise<Image & { reused: boolean }> {
  const root = path.resolve(o.dir);
  const imagesDir = path.resolve(o.imagesDir);
  await mkdir(imagesDir, { recursive: true, mode: 0o700 });
  const skip = skipRule(root, imagesDir, o.exclude, o.includeNodeModules);
  const storedAs = (hex: string) => path.join(imagesDir, o.build === null ? hex : `${hex}${SOURCE_SUFFIX}`);
  const stored = async (hex: string) =>
    (await exists(storedAs(hex))) ||
    (o.build !== null && (await builtWith(`${path.join(imagesDir, hex)}${BUILT_SUFFIX}`, o.build)));

  const source = await walk(root, skip);
  const sourceHex = await hashEntries(root, source, o.build);
  const existing = path.join(imagesDir, sourceHex);
  if (await stored(sourceHex))
    return { ref: `sha256:${sourceHex}`, path: existing, sizeBytes: sizeOf(source), reused: true };

  // Copy, then hash the copy: the ref always describes what is stored, even if a file changed meanwhile.
  const temp = await mkdtemp(path.join(imagesDir, TEMP_PREFIX));
  try {
    // Each file a link to its read-only object: what did not change since the last version is shared.
    await copyEntries(root, temp, source, imagesDir);
    const copied = await walk(temp, () => false);
    const hex = await hashEntries(temp, copied, o.build);
    const image = { ref: `sha256:${hex}`, path: path.join(imagesDir, hex), sizeBytes: sizeOf(copied) };
    if (await stored(hex)) return { ...image, reused: true };
    await seal(temp);
    if (!(await renameInto(temp, storedAs(hex)))) return { ...image, reused: true }; // a concurrent snapshot won
    return { ...image, reused: false };
  } finally {
    await removeTree(temp);
  }
}

/** Atomic: a directory is complete or absent. False when one is already there. */
async function renameInto(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
    throw err;
  }
}

/**
 * Runs the build command (D4) through `sh -c` like a Procfile line, with `env` added to this
 * process's environment, in a copy of the image's snapshot (`<path>.src`). Only a build that
 * succeeds is renamed into place at `image.path`, with a marker beside it, so building a built
 * image returns at once and a failed or cancelled one leaves nothing behind.
 */
export async function buildImage(o: {
  image: Image;
  command: string | null;
  env: Record<string, string>;
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
}): Promise<{ ok: boolean; output: string; exitCode: number | null; skipped: boolean }> {
  if (o.command === null) return { ok: true, output: '', exitCode: null, skipped: true };
  const marker = builtMarker(o.image);
  if (await builtWith(marker, o.command)) return { ok: true, output: '', exitCode: 0, skipped: true };
  if (o.signal?.aborted) return { ok: false, output: 'build cancelled', exitCode: null, skipped: false };

  const source = `${o.image.path}${SOURCE_SUFFIX}`;
  const workDir = await mkdtemp(path.join(path.dirname(o.image.path), TEMP_PREFIX));
  try {
    // Real copies, writable: a build that changed a file in place must not change its object.
    await copyEntries(source, workDir, await walk(source, () => false), null);
    const output = new OutputTail(BUILD_OUTPUT_LIMIT, o.onOutput);
    // Its own process group, so cancelling stops whatever the build started, not only the shell.
    const subprocess = execa('sh', ['-c', o.command], {
      cwd: workDir,
      env: o.env,
      stdin: 'ignore',
      all: true,
      buffer: false,
      reject: false,
      detached: true,
    });
    subprocess.all?.on('data', (chunk: Buffer) => output.write(chunk));
    const cancel = () => killGroup(subprocess.pid);
    o.signal?.addEventListener('abort', cancel, { once: true });
    const result = await subprocess.finally(() => o.signal?.removeEventListener('abort', cancel));

    const cancelled = o.signal?.aborted === true;
    if (cancelled) output.note('build cancelled');
    else if (result.exitCode === undefined) output.note(result.shortMessage ?? 'build did not run');
    const text = output.end();
    const exitCode = result.exitCode ?? null;
    const ok = !cancelled && exitCode === 0;
    if (ok) {
      await internalize(path.dirname(o.image.path), workDir);
      await seal(workDir);
      await putInPlace(workDir, o.image, marker, o.command);
    }
    return { ok, output: text, exitCode, skipped: false };
  } finally {
    await removeTree(workDir);
  }
}

/** Renames a finished build to the image's path; a concurrent build of the same image may have won. */
async function putInPlace(workDir: string, image: Image, marker: string, command: string): Promise<void> {
  if (!(await renameInto(workDir, image.path))) {
    if (await builtWith(marker, command)) return;
    // Left by a build that failed in place (before builds ran in a copy): never reused.
    const trash = `${path.dirname(image.path)}/${TRASH_PREFIX}${path.basename(image.path)}-${process.pid}-${Date.now()}`;
    await rename(image.path, trash);
    await removeTree(trash);
    await rename(workDir, image.path);
  }
  await writeMarker(marker, { ref: image.ref, command });
}

/**
 * Removes stored images whose ref is not in `keep` (the image, its snapshot and its marker), and
 * returns the refs removed. The caller runs one at a time, and never while a build or a deploy
 * may still use an image it does not know about yet.
 */
export async function pruneImages(o: { imagesDir: string; keep: Set<string> }): Promise<string[]> {
  const imagesDir = path.resolve(o.imagesDir);
  let names: string[];
  try {
    names = await readdir(imagesDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  const stored = new Set<string>();
  for (const name of names.sort()) {
    const full = path.join(imagesDir, name);
    const hex = imageHex(name);
    if (hex !== null) {
      stored.add(hex);
    } else if (name.startsWith(TRASH_PREFIX)) {
      await removeTree(full);
    } else if (name.startsWith(TEMP_PREFIX)) {
      const info = await stat(full).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await removeTree(full);
    }
  }
  for (const hex of stored) {
    const ref = `sha256:${hex}`;
    if (o.keep.has(ref)) continue;
    const full = path.join(imagesDir, hex);
    // Marker first, then atomic renames: a crash mid-way never leaves a half-deleted image.
    await rm(`${full}${BUILT_SUFFIX}`, { force: true });
    for (const dir of [full, `${full}${SOURCE_SUFFIX}`]) {
      const trash = path.join(imagesDir, `${TRASH_PREFIX}${path.basename(dir)}-${process.pid}-${Date.now()}`);
      try {
        await rename(dir, trash);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      await removeTree(trash);
    }
    removed.push(ref);
  }
  // The files no image links any more: stored once, removed with the last image that had them.
  await pruneObjects(imagesDir);
  return removed;
}

/** The hex of an image's directory, snapshot or marker; null for anything else. */
function imageHex(name: string): string | null {
  const hex = name.replace(/(\.built|\.src)$/, '');
  return IMAGE_DIR.test(hex) ? hex : null;
}

/** The first 16 hex digits of a ref, as screens show it. */
export function shortRef(ref: string): string {
  return ref.replace(/^sha256:/, '').slice(0, 16);
}

function builtMarker(image: Image): string {
  return `${image.path}${BUILT_SUFFIX}`;
}

async function builtWith(marker: string, command: string): Promise<boolean> {
  try {
    const recorded = JSON.parse(await readFile(marker, 'utf8')) as { command?: unknown };
    return recorded.command === command;
  } catch {
    return false;
  }
}

async function writeMarker(marker: string, content: { ref: string; command: string }): Promise<void> {
  const temp = `${marker}${TEMP_PREFIX}${process.pid}`;
  await writeFile(temp, `${JSON.stringify(content)}\n`, { mode: 0o600 });
  await rename(temp, marker);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  setTimeout(() => kill('SIGKILL'), 5000).unref();
}

/** Keeps the last `limit` bytes of a build's output and hands complete lines to `onLine`. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly limit: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.limit * 2) this.compact();
    if (!this.onLine) return;
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  note(line: string): void {
    this.write(Buffer.from(`${line}\n`));
  }

  end(): string {
    const last = this.partial + this.decoder.end();
    if (this.onLine && last !== '') this.onLine(last.replace(/\r$/, ''));
    this.compact();
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(Math.max(0, all.length - this.limit))];
    this.size = this.chunks[0]!.length;
  }
}

type SkipRule = (rel: string, isDir: boolean) => boolean;

/** What a snapshot leaves out: `.git`, `node_modules` (unless asked), the images themselves, excludes. */
function skipRule(root: string, imagesDir: string, exclude: string[], includeNodeModules: boolean): SkipRule {
  const imagesRel = path.relative(root, imagesDir).split(path.sep).join('/');
  const imagesInside = imagesRel !== '' && !imagesRel.startsWith('..') && !path.isAbsolute(imagesRel);
  const patterns = exclude.map(compileExclude);
  return (rel, isDir) => {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (base === '.git') return true;
    if (base === 'node_modules' && isDir && !includeNodeModules) return true;
    if (imagesInside && rel === imagesRel) return true;
    return patterns.some((matches) => matches(rel, base, isDir));
  };
}

/**
 * An exclude pattern, as in .gitignore but simpler: `*` matches within a path segment, `**` across
 * segments; a trailing `/` matches directories only; a pattern with a `/` is relative to the app's
 * directory, one without matches a name at any depth. An excluded directory excludes all below it.
 */
function compileExclude(pattern: string): (rel: string, base: string, isDir: boolean) => boolean {
  const dirOnly = pattern.endsWith('/');
  const body = pattern.replace(/\/+$/, '');
  const anchored = body.includes('/');
  const source = body
    .replace(/^\//, '')
    .split(/(\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (rel, base, isDir) => (!dirOnly || isDir) && regex.test(anchored ? rel : base);
}

/** Every entry under root (not root itself), sorted by relative path, so the hash is stable. */
async function walk(root: string, skip: SkipRule): Promise<Entry[]> {
  const entries: Entry[] = [];
  const visit = async (relDir: string): Promise<void> => {
    const dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
    for (const dirent of dirents) {
      const rel = relDir === '' ? dirent.name : `${relDir}/${dirent.name}`;
      const full = path.join(root, rel);
      if (dirent.isDirectory()) {
        if (skip(rel, true)) continue;
        entries.push({ rel, kind: 'dir', executable: false, size: 0, target: '' });
        await visit(rel);
      } else if (dirent.isFile()) {
        if (skip(rel, false)) continue;
        const info = await lstat(full);
        entries.push({
          rel,
          kind: 'file',
          executable: (info.mode & 0o111) !== 0,
          size: info.size,
          target: '',
        });
      } else if (dirent.isSymbolicLink()) {
        if (skip(rel, false)) continue;
        entries.push({
          rel,
          kind: 'symlink',
          executable: false,
          size: 0,
          target: await insideTarget(root, rel),
        });
      }
      // Sockets, FIFOs and devices are not app files: left out.
    }
  };
  await visit('');
  return entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** A symlink's target, made relative to the link so it works from the image; outside root is an error. */
async function insideTarget(root: string, rel: string): Promise<string> {
  const full = path.join(root, rel);
  const target = await readlink(full);
  const resolved = path.resolve(path.dirname(full), target);
  const fromRoot = path.relative(root, resolved);
  if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
    throw new ImageError(
      `${full}: symlink points outside the app directory (${target}); expected a link to a path inside ${root}`,
    );
  }
  return path.relative(path.dirname(full), resolved) || '.';
}

async function hashEntries(root: string, entries: Entry[], build: string | null): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${HASH_SCHEME}\0build\0${JSON.stringify(build)}\0`);
  for (const entry of entries) {
    if (entry.kind === 'dir') hash.update(`d\0${entry.rel}\0`);
    else if (entry.kind === 'symlink') hash.update(`l\0${entry.rel}\0${entry.target}\0`);
    else {
      hash.update(`f\0${entry.rel}\0${entry.executable ? 'x' : '-'}\0${entry.size}\0`);
      await hashFile(hash, path.join(root, entry.rel));
    }
  }
  return hash.digest('hex');
}

async function hashFile(hash: Hash, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/**
 * Copies entries: with `imagesDir`, each file becomes a link to its read-only object there;
 * without, a writable owner-only copy (0700 or 0600 by its executable bit). Directories 0700.
 */
async function copyEntries(
  root: string,
  dest: string,
  entries: Entry[],
  imagesDir: string | null,
): Promise<void> {
  for (const entry of entries) {
    const to = path.join(dest, entry.rel);
    if (entry.kind === 'dir') {
      await mkdir(to, { recursive: true, mode: 0o700 });
      await chmod(to, 0o700);
    } else if (entry.kind === 'symlink') {
      await symlink(entry.target, to);
    } else if (imagesDir !== null) {
      await linkObject(imagesDir, path.join(root, entry.rel), to, entry.executable);
    } else {
      await copyFile(path.join(root, entry.rel), to, constants.COPYFILE_FICLONE);
      await chmod(to, entry.executable ? 0o700 : 0o600);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

function sizeOf(entries: Entry[]): number {
  return entries.reduce((sum, entry) => sum + entry.size, 0);
}
