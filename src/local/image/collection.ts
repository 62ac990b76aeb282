// Collecting images: removing the stored images no version needs any more, the leftovers of
// crashed snapshots and builds, and then the shared objects no image links.
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_SUFFIX, SOURCE_SUFFIX, TEMP_PREFIX, TRASH_PREFIX } from './image.ts';
import { pruneObjects, removeTree } from './objects.ts';

const IMAGE_DIR = /^[0-9a-f]{64}$/;
// A snapshot still copying is never this old; older temporary directories are leftovers of a crash.
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

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
