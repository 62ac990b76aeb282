// Images are immutable and share what they have in common (issue 13, defect 6). Every file of
// an image is a hard link to a read-only, content-addressed object in `images/.objects/`, so a
// file that did not change between versions is stored once, and an image's directories are
// read-only too: a container (not running as root) cannot change what a rollback will run.
// Containers write into a scratch directory of their own ($TMPDIR, $HOME) instead.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  chmod,
  constants,
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  rename,
  rm,
  stat,
  unlink,
} from 'node:fs/promises';
import path from 'node:path';

export const OBJECTS_DIR = '.objects';
const FILE_MODE = 0o444;
const EXECUTABLE_MODE = 0o555;
const DIR_MODE = 0o555;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Makes `dest` a hard link to the object holding `source`'s content, storing it if it is new. */
export async function linkObject(
  imagesDir: string,
  source: string,
  dest: string,
  executable: boolean,
): Promise<void> {
  const objects = path.join(imagesDir, OBJECTS_DIR);
  await mkdir(objects, { recursive: true, mode: 0o700 });
  // The executable bit belongs to the inode, so it is part of the object's name.
  const object = path.join(objects, `${await sha256(source)}${executable ? '-x' : ''}`);
  try {
    await link(object, dest);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temp = `${object}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await copyFile(source, temp, constants.COPYFILE_FICLONE);
  await chmod(temp, executable ? EXECUTABLE_MODE : FILE_MODE);
  try {
    await link(temp, object); // never replaces: a concurrent store of the same content won, and is it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  await link(object, dest);
}

/** Replaces each regular file under dir by a link to its object (a finished build's output). */
export async function internalize(imagesDir: string, dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await internalize(imagesDir, full);
    else if (entry.isFile()) {
      const linked = `${full}.link-${process.pid}`;
      await linkObject(imagesDir, full, linked, ((await stat(full)).mode & 0o111) !== 0);
      await rename(linked, full);
    }
  }
}

/** Makes every directory of an image read-only (its files are objects, read-only already). */
export async function seal(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await seal(path.join(dir, entry.name));
  }
  await chmod(dir, DIR_MODE);
}

/** Removes an image directory, sealed or not (its objects stay while other images link them). */
export async function removeTree(dir: string): Promise<void> {
  const unseal = async (d: string): Promise<void> => {
    await chmod(d, 0o700);
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.isDirectory()) await unseal(path.join(d, entry.name));
    }
  };
  try {
    if ((await lstat(dir)).isDirectory()) await unseal(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(dir, { recursive: true, force: true });
}

/** Removes the objects no image links any more; returns how many bytes that freed. */
export async function pruneObjects(imagesDir: string): Promise<number> {
  const objects = path.join(imagesDir, OBJECTS_DIR);
  let names: string[];
  try {
    names = await readdir(objects);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let freed = 0;
  for (const name of names) {
    const file = path.join(objects, name);
    const info = await lstat(file).catch(() => null);
    // A temporary copy left by a crash, or an object only the store itself links.
    if (info && (info.nlink <= 1 || name.includes('.tmp-'))) {
      freed += info.size;
      await unlink(file).catch(() => undefined);
    }
  }
  return freed;
}
