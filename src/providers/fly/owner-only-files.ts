// Files only the owner can read, written atomically, and never through a symbolic link: the
// release store holds who deployed what and secret digests. Directories are 0700 and files 0600
// whatever the umask; a symlink anywhere below the store's root is refused, not followed.
import fs from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ProviderError } from '../../engine/provider-error.ts';

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = fs.constants;

function refuseLink(path: string): never {
  throw new ProviderError(
    'failed',
    `refusing ${path}: it is a symbolic link (cutover's store follows none)`,
    {
      reason: 'symlink',
    },
  );
}

/** Creates `dir` (and the directories between `root` and it) 0700, refusing any symlink on the way. */
export function ownerOnlyDirectory(root: string, dir: string): void {
  const parts = relative(root, dir)
    .split(sep)
    .filter((p) => p !== '');
  let current = root;
  for (const part of ['', ...parts]) {
    current = part === '' ? root : join(current, part);
    try {
      fs.mkdirSync(current, { mode: 0o700, recursive: part === '' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = fs.lstatSync(current);
    if (stat.isSymbolicLink()) refuseLink(current);
    if (!stat.isDirectory()) throw new ProviderError('failed', `${current} is not a directory`);
    if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(current, 0o700);
  }
}

function writeTemp(file: string, text: string): string {
  const temp = join(dirname(file), `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(temp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

/** Writes `file` whole, replacing what was there (rename never follows a link at the target). */
export function writeOwnerOnly(file: string, text: string): void {
  const temp = writeTemp(file, text);
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes `file` only if it does not exist yet; false when it did (the first writer wins). */
export function createOwnerOnly(file: string, text: string): boolean {
  const temp = writeTemp(file, text);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The text of `file`, or null when it does not exist; a symlink is refused. */
export function readOwnerOnly(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') refuseLink(file);
    throw error;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new ProviderError('failed', `${file} is not a regular file`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Removes `file` if it exists (unlinking never follows a link). */
export function removeOwnerOnly(file: string): void {
  fs.rmSync(file, { force: true });
}
