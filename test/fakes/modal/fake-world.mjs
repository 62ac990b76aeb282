// The state the fake `modal` and the fake `python3` share: a JSON file (FAKE_MODAL_STATE) with
// the apps of one Modal environment, their deployment history and their containers. Containers
// carry times (enqueued, started, stopped), so what a read shows depends on the clock the way
// Modal's does while a rollout goes on; only commands write, under a lock, replacing the file.
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';

export const stateFile = () => {
  const file = process.env.FAKE_MODAL_STATE;
  if (!file) {
    process.stderr.write('fake modal: FAKE_MODAL_STATE is not set\n');
    process.exit(3);
  }
  return file;
};

export const now = () => Date.now() / 1000;

export function load() {
  return JSON.parse(readFileSync(stateFile(), 'utf8'));
}

function save(world) {
  const file = stateFile();
  writeFileSync(`${file}.tmp${process.pid}`, JSON.stringify(world, null, 2));
  renameSync(`${file}.tmp${process.pid}`, file);
}

/** Read-modify-write under a lock directory (several fakes run at once: the poller and a command). */
export async function update(change) {
  const lock = `${stateFile()}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5000) rmdirSync(lock);
      } catch {}
      await sleep(5);
    }
  }
  try {
    const world = load();
    const result = await change(world);
    save(world);
    return result;
  } finally {
    rmdirSync(lock);
  }
}

export function recordCall(argv) {
  appendFileSync(`${stateFile()}.calls`, `${JSON.stringify(argv)}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `1.5.4` ≥ `1.5.0`. */
export function atLeast(version, wanted) {
  const a = version.split('.').map(Number);
  const b = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** Modal's JSON time: local zone, `isoformat(sep=" ", timespec="seconds")` (py/modal/_utils/time_utils.py). */
export function modalTime(seconds) {
  if (!seconds) return null;
  const d = new Date(Math.floor(seconds) * 1000);
  const offset = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function visible(container, t) {
  return container.enqueuedAt <= t && (container.stopAt == null || t < container.stopAt);
}

export function started(container, t) {
  return container.startAt != null && container.startAt <= t;
}

/** Live numbers as Modal's autoscaler would have them: a steady load spread over running containers. */
export function statsAt(app, t) {
  const running = app.containers.filter((c) => visible(c, t) && started(c, t)).length;
  const capacity = running * (app.concurrency ?? 4);
  const load = app.load ?? 0;
  return {
    backlog: Math.max(0, load - capacity),
    num_total_runners: running,
    num_running_inputs: Math.min(load, capacity),
    input_headroom: Math.max(0, capacity - load),
  };
}

export function findApp(world, identifier) {
  const mine = world.apps.filter((a) => a.name === identifier || a.appId === identifier);
  return mine.find((a) => a.state === 'deployed') ?? mine.at(-1) ?? null;
}
