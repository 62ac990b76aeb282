// Which Python to run the stats helper with: the one the `modal` command itself runs on (its
// shebang, as pip and pipx write it: `#!/home/me/.venv/bin/python3`), which has the modal package
// by construction, then `python3` on PATH.
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(env: NodeJS.ProcessEnv, name: string): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function firstLine(file: string): string {
  const buffer = Buffer.alloc(256);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/** `#!/usr/bin/env python3` → `python3`; `#!/venv/bin/python3.11` → that path; else null. */
export function pythonOfShebang(line: string): string | null {
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(line);
  if (!m) return null;
  const program = m[1]!.endsWith('/env') && m[2] !== undefined ? m[2] : m[1]!;
  return /(^|\/)python[\d.]*$/.test(program) ? program : null;
}

/** Interpreters to try, best first, without repeats. */
export function pythonCandidates(env: NodeJS.ProcessEnv): string[] {
  const candidates: string[] = [];
  const modal = onPath(env, 'modal');
  if (modal !== null) {
    try {
      const python = pythonOfShebang(firstLine(modal));
      if (python !== null) candidates.push(python);
    } catch {
      // unreadable: fall back to python3
    }
  }
  candidates.push('python3');
  return [...new Set(candidates)];
}
