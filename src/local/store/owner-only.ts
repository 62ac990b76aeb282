// The state directory and database files hold the app history (who deployed what, secret
// fingerprints): only the owner may read them. Modes are set with chmod after creation, so
// they do not depend on the process's umask.
import fs from 'node:fs';

const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates the directory (and missing parents) if needed, then narrows it to 0700. */
export function ensureOwnerOnlyDirectory(directory: string): void {
  fs.mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
  fs.chmodSync(directory, DIRECTORY_MODE);
}

/** Creates the file empty if missing (never wider than 0600), then narrows it to 0600. */
export function ensureOwnerOnlyFile(file: string): void {
  // O_NOFOLLOW: a symbolic link planted where the database belongs is refused, not written through.
  const fd = fs.openSync(
    file,
    fs.constants.O_CREAT | fs.constants.O_RDWR | fs.constants.O_NOFOLLOW,
    FILE_MODE,
  );
  try {
    fs.fchmodSync(fd, FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
}

/** Narrows each file that exists to 0600; SQLite's -wal and -shm come and go with connections. */
export function restrictExistingFiles(files: string[]): void {
  for (const file of files) {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    try {
      fs.fchmodSync(fd, FILE_MODE);
    } finally {
      fs.closeSync(fd);
    }
  }
}
