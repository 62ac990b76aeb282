// Starts the fixture scripts beside this file as real processes, and stops every one of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

/** Absolute path of a script under fixtures/. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A fixture started by a test; `output()` is what it printed so far. */
export interface FixtureProcess {
  subprocess: ResultPromise;
  output(): string;
  /** Resolves once its output contains `text`. */
  waitForOutput(text: string): Promise<void>;
}

const started = new Set<ResultPromise>();

/** Runs `node fixtures/<name>` with extra env; its stdout is collected. */
export function startFixture(name: string, env: Record<string, string>): FixtureProcess {
  const subprocess = execa(process.execPath, [fixture(name)], {
    env,
    reject: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
    buffer: false,
  });
  started.add(subprocess);
  let text = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  subprocess.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      if (text.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    subprocess,
    output: () => text,
    waitForOutput: (wanted) =>
      new Promise<void>((resolve, reject) => {
        if (text.includes(wanted)) {
          resolve();
          return;
        }
        waiters.push({ text: wanted, resolve });
        void subprocess.then(() => {
          if (!text.includes(wanted)) reject(new Error(`fixture ${name} exited without printing ${wanted}`));
        });
      }),
  };
}

/** Kills every fixture started so far and waits for them to exit (afterEach). */
export async function stopFixtures(): Promise<void> {
  const all = [...started];
  started.clear();
  for (const subprocess of all) subprocess.kill('SIGKILL');
  await Promise.all(all);
}

/** Whether a process still runs (a zombie left for a reaper counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
