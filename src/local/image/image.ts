// Images (D4, B1): immutable, content-addressed snapshots of an app's files plus its build output.
// A version runs its image, never the working directory, so a rollback runs exactly what it ran.
// This file holds what an image is and how it is laid out in the images directory; taking one is
// snapshot.ts, building one build.ts, removing unused ones collection.ts, its shared files objects.ts.
import { readFile, rename } from 'node:fs/promises';

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

/** A built image's marker, beside it: which command built it. */
export const BUILT_SUFFIX = '.built';
/** An image with a build command keeps its snapshot here until the build succeeds. */
export const SOURCE_SUFFIX = '.src';
/** Copies and builds in progress (or left by a crash). */
export const TEMP_PREFIX = '.tmp-';
/** Directories being removed. */
export const TRASH_PREFIX = '.trash-';

/** Atomic: a directory is complete or absent. False when one is already there. */
export async function renameInto(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
    throw err;
  }
}

/** The first 16 hex digits of a ref, as screens show it. */
export function shortRef(ref: string): string {
  return ref.replace(/^sha256:/, '').slice(0, 16);
}

/** Where a built image records the command that built it. */
export function builtMarker(image: Image): string {
  return `${image.path}${BUILT_SUFFIX}`;
}

/** Whether the marker says the image was built with `command` (a missing or torn marker: no). */
export async function builtWith(marker: string, command: string): Promise<boolean> {
  try {
    const recorded = JSON.parse(await readFile(marker, 'utf8')) as { command?: unknown };
    return recorded.command === command;
  } catch {
    return false;
  }
}
