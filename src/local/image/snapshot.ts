// Taking an image (D4): the app's directory, less what is excluded, copied into the images
// directory as links to the shared objects and named by the hash of its files and build command.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_SUFFIX, builtWith, type Image, renameInto, SOURCE_SUFFIX, TEMP_PREFIX } from './image.ts';
import { removeTree, seal } from './objects.ts';
import { copyEntries, type Entry, type SkipRule, sizeOf, walk } from './tree.ts';

// Bumped if the hashing scheme changes, so old and new refs never collide.
const HASH_SCHEME = 'cutover-image-v1';

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

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}
