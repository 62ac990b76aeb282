// A full screen (`cutover watch APP`, `cutover`) or any program in a pty, as the screen
// benchmarks run it: started, found in /proc, measured slice by slice (bytes it wrote, CPU it
// used), and quit with its own key.
import { readFileSync } from 'node:fs';
import { spawnTerminal, type Terminal } from '../../test/helpers/terminal.ts';
import type { BenchPlatform } from './platform.ts';
import { childrenOf, cpuSecondsFine } from './proc.ts';
import { sleep } from './stats.ts';

/** A program in a pty, with its process id for /proc. */
export interface ScreenProcess {
  label: string;
  terminal: Terminal;
  pid: number;
  /** From spawning it until `shows` was on the emulated screen. */
  firstFrameMs: number;
}

/** What one slice of a window measured for one program. */
export interface Slice {
  bytesPerSecond: number;
  /** Share of one core: 0.005 is half a percent. */
  cpu: number;
}

export interface StartOptions {
  columns: number;
  rows: number;
  /** Added to the platform's environment. */
  env?: Record<string, string>;
  /** What on the screen says the first frame is drawn. */
  shows: string | RegExp;
  timeoutMs?: number;
}

/** Starts `file args` in a pty (node itself unless told) and waits for its first frame. */
export async function startScreen(
  platform: BenchPlatform,
  label: string,
  args: string[],
  o: StartOptions,
): Promise<ScreenProcess> {
  const before = new Set(childrenOf(process.pid));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(platform.env)) if (value !== undefined) env[name] = value;
  const started = performance.now();
  const terminal = spawnTerminal({
    file: process.execPath,
    args,
    cols: o.columns,
    rows: o.rows,
    env: { ...env, ...o.env },
    cwd: platform.root,
  });
  try {
    await terminal.waitFor(o.shows, { timeoutMs: o.timeoutMs ?? 15_000 });
    const firstFrameMs = performance.now() - started;
    const pid = childrenOf(process.pid).find((p) => !before.has(p) && isNode(p));
    if (pid === undefined) throw new Error(`${label}: cannot find its process`);
    return { label, terminal, pid, firstFrameMs };
  } catch (error) {
    terminal.dispose();
    throw error;
  }
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === process.execPath;
  } catch {
    return false;
  }
}

/** Measures every program over `slices` consecutive slices of `sliceMs`. */
export async function measure(
  programs: ScreenProcess[],
  slices: number,
  sliceMs: number,
): Promise<Map<string, Slice[]>> {
  const result = new Map<string, Slice[]>(programs.map((p) => [p.label, []]));
  const read = () =>
    programs.map((p) => ({ bytes: Buffer.byteLength(p.terminal.output), cpu: cpuSecondsFine(p.pid) }));
  let last = read();
  let lastAt = performance.now();
  for (let slice = 0; slice < slices; slice++) {
    await sleep(sliceMs);
    const now = read();
    const at = performance.now();
    const seconds = (at - lastAt) / 1000;
    programs.forEach((p, i) => {
      result.get(p.label)!.push({
        bytesPerSecond: (now[i]!.bytes - last[i]!.bytes) / seconds,
        cpu: (now[i]!.cpu - last[i]!.cpu) / seconds,
      });
    });
    last = now;
    lastAt = at;
  }
  return result;
}

/** Quits with `key` (q for the screens); killed if it does not go within 5 s. */
export async function quit(p: ScreenProcess, key = 'q'): Promise<void> {
  p.terminal.write(key);
  await Promise.race([p.terminal.exited, sleep(5_000)]);
  p.terminal.dispose();
}
