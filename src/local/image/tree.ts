// An app's directory tree as an image sees it: walked in a stable order with symlinks kept inside
// it, and copied either as links to the shared objects or as writable files.
import { chmod, constants, copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { ImageError } from './image.ts';
import { linkObject } from './objects.ts';

/** A file, directory or symlink under a tree's root. */
export interface Entry {
  /** Relative path with `/` separators. */
  rel: string;
  kind: 'dir' | 'file' | 'symlink';
  executable: boolean;
  size: number;
  /** For symlinks: the target, relative to the link's directory and inside the root. */
  target: string;
}

/** Whether a path (relative, `/`-separated) is left out of a walk. */
export type SkipRule = (rel: string, isDir: boolean) => boolean;

/** Every entry under root (not root itself), sorted by relative path, so the hash is stable. */
export async function walk(root: string, skip: SkipRule): Promise<Entry[]> {
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

/**
 * Copies entries: with `imagesDir`, each file becomes a link to its read-only object there;
 * without, a writable owner-only copy (0700 or 0600 by its executable bit). Directories 0700.
 */
export async function copyEntries(
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

/** The bytes of the files among entries. */
export function sizeOf(entries: Entry[]): number {
  return entries.reduce((sum, entry) => sum + entry.size, 0);
}
