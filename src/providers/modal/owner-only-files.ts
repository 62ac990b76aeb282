// What cutover records about Modal apps is the owner's alone: directories 0700, files 0600, and
// no symlink is followed (one planted in the state directory could otherwise redirect a write
// to another file). Writes that replace a file go through a new file and a rename.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { join } from 'node:path';
import { ProviderError } from '../../engine/provider-error.ts';

const { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = fs.constants;

function refuse(path: string, why: string): never {
  throw new ProviderError(
    'forbidden',
    `${path} ${why}; cutover keeps its Modal records there and will not use it`,
    {
      reason: 'state-directory',
    },
  );
}

/** Creates `dir` (parents too) if missing; it must be a real directory we own, and becomes 0700. */
export function ownerOnlyDirectory(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  if (stat.isSymbolicLink()) refuse(dir, 'is a symbolic link');
  if (!stat.isDirectory()) refuse(dir, 'is not a directory');
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    refuse(dir, 'belongs to another user');
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Appends `text` to `file` (created 0600); a symlink in its place is refused (ELOOP). Returns its size. */
export function appendOwnerOnly(file: string, text: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') refuse(file, 'is a symbolic link');
    throw error;
  }
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, text);
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's text, or null when it does not exist; a symlink is refused. */
export function readOwnerOnly(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') refuse(file, 'is a symbolic link');
    throw error;
  }
  try {
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `file` with `text` at once (a reader sees the old or the new file, never half). */
export function replaceOwnerOnly(file: string, text: string): void {
  const dir = join(file, '..');
  const temporary = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  // rename replaces a symlink at `file` itself; it never writes through one.
  fs.renameSync(temporary, file);
}
