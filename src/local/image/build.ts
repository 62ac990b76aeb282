// Building an image (D4): the build command runs in a writable copy of the image's snapshot, and
// only a build that succeeds becomes the image, its files turned into shared read-only objects.
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { OutputTail } from './build-output.ts';
import {
  builtMarker,
  builtWith,
  type Image,
  renameInto,
  SOURCE_SUFFIX,
  TEMP_PREFIX,
  TRASH_PREFIX,
} from './image.ts';
import { internalize, removeTree, seal } from './objects.ts';
import { copyEntries, walk } from './tree.ts';

/** Output kept from a build: the last 64 KiB. */
export const BUILD_OUTPUT_LIMIT = 64 * 1024;

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
