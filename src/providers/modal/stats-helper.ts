// Runs the stats helper (stats-helper-source.ts) with the user's Python and asks it, once per
// poll, for each function's backlog, running inputs and runners. Where no Python can `import
// modal`, every answer says why, and the inputs are shown as "not reported" with that reason.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pythonCandidates } from './python-finder.ts';
import { statsHelperSource } from './stats-helper-source.ts';

/** One function's live numbers; null where this client does not report the field. */
export interface FunctionStats {
  name: string;
  /** Inputs waiting for a container (`backlog`). */
  queued: number | null;
  /** Inputs being handled (`num_running_inputs`, modal ≥ 1.3.5). */
  inFlight: number | null;
  /** Containers serving the function (`num_total_runners`). */
  runners: number | null;
  /** Why this function's numbers could not be read, or null. */
  error: string | null;
}

export type StatsResult =
  | { ok: true; functions: FunctionStats[]; source: string; client: string }
  | { ok: false; reason: string };

const helloTimeoutMs = 30_000;
const answerTimeoutMs = 20_000;
const retryAfterMs = 60_000;

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A line the helper printed, as cutover reads it. */
export function functionStatsOf(answer: {
  name?: unknown;
  stats?: Record<string, unknown>;
  error?: unknown;
}): FunctionStats {
  return {
    name: String(answer.name),
    queued: count(answer.stats?.backlog),
    inFlight: count(answer.stats?.num_running_inputs),
    runners: count(answer.stats?.num_total_runners),
    error: typeof answer.error === 'string' ? answer.error : null,
  };
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  client: string;
}

export class StatsHelper {
  private running: Running | null = null;
  private unavailable: { reason: string; at: number } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly environment: string | undefined,
  ) {}

  /** The numbers of the app's functions; `known` are names to ask for where the client cannot list them. */
  stats(app: string, known: string[]): Promise<StatsResult> {
    const next = this.queue.then(() => this.ask(app, known));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.running?.child.kill('SIGTERM');
    this.running = null;
  }

  private async ask(app: string, known: string[]): Promise<StatsResult> {
    const running = await this.start();
    if ('reason' in running) return { ok: false, reason: running.reason };
    running.child.stdin.write(
      `${JSON.stringify({ app, environment: this.environment ?? null, functions: known })}\n`,
    );
    const line = await nextLine(running.lines, answerTimeoutMs);
    if (line === null) {
      this.close();
      return { ok: false, reason: `the stats helper gave no answer within ${answerTimeoutMs / 1000}s` };
    }
    let answer: {
      functions?: Parameters<typeof functionStatsOf>[0][];
      source?: string;
      error?: { reason: string; message: string };
    };
    try {
      answer = JSON.parse(line) as typeof answer;
    } catch {
      return { ok: false, reason: `the stats helper printed ${JSON.stringify(line.slice(0, 200))}` };
    }
    if (answer.error)
      return { ok: false, reason: `the Modal SDK said ${answer.error.reason}: ${answer.error.message}` };
    return {
      ok: true,
      functions: (answer.functions ?? []).map(functionStatsOf),
      source: answer.source ?? 'unknown',
      client: running.client,
    };
  }

  private async start(): Promise<Running | { reason: string }> {
    if (this.running !== null && this.running.child.exitCode === null) return this.running;
    this.running = null;
    if (this.unavailable !== null && Date.now() - this.unavailable.at < retryAfterMs) return this.unavailable;
    const tried: string[] = [];
    for (const python of pythonCandidates(this.env)) {
      const started = await launch(python, this.env);
      if ('client' in started) {
        this.unavailable = null;
        this.running = started;
        return started;
      }
      tried.push(`${python}: ${started.reason}`);
    }
    this.unavailable = {
      reason: `no Python here can import modal (${tried.join('; ')}); pip install modal where \`modal\` runs`,
      at: Date.now(),
    };
    return this.unavailable;
  }
}

async function nextLine(lines: AsyncIterator<string>, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const next = lines.next().then((r) => (r.done ? null : r.value));
    return await Promise.race([next, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts one interpreter with the helper and reads its first line. */
async function launch(python: string, env: NodeJS.ProcessEnv): Promise<Running | { reason: string }> {
  const child = spawn(python, ['-u', '-c', statsHelperSource], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  // An interpreter that died is noticed at the next ask (no answer); its pipe errors are not fatal.
  child.stdin.on('error', () => undefined);
  child.on('error', () => undefined);
  const failed = new Promise<{ reason: string }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ reason: error.code === 'ENOENT' ? 'not found' : error.message }),
    );
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })[
    Symbol.asyncIterator
  ]();
  const first = await Promise.race([nextLine(lines, helloTimeoutMs), failed]);
  if (first !== null && typeof first === 'object') return first;
  const end = (reason: string) => {
    child.kill('SIGTERM');
    return { reason };
  };
  if (first === null) return end(`no answer (${stderr.trim().split('\n').pop() ?? 'nothing on stderr'})`);
  let hello: { hello?: number; modal?: string; error?: { reason: string; message: string } };
  try {
    hello = JSON.parse(first) as typeof hello;
  } catch {
    return end(`printed ${JSON.stringify(first.slice(0, 200))}`);
  }
  if (hello.hello !== 1) return end(`printed ${JSON.stringify(first.slice(0, 200))}`);
  if (hello.error) return end(hello.error.message);
  return { child, lines, client: hello.modal ?? 'unknown' };
}
