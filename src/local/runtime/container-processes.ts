// Runs containers as local processes. It carries out the engine's `start-container` and
// `terminate` effects and reports each exit once; it decides nothing about replacing them (H1).
import { chmodSync, closeSync, constants, fchmodSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { isRunning, type ProcessIdentity } from './process-identity.ts';

/** Where logs go, and who hears about exits. */
export interface ContainerProcessesOptions {
  logDir: string;
  /**
   * Where each container writes its own pid (`<id>.pid`) before it execs the command, so a
   * daemon killed at any moment leaves a record of every container it started.
   */
  pidDir?: string;
  /** Called exactly once per started container, whether it exited by itself or was terminated. */
  onExit: (containerId: string, code: number | null, signal: string | null) => void;
}

/** One container to start. */
export interface ContainerLaunch {
  containerId: string;
  /** A string runs through `sh -c` like a Procfile line; an array runs as is, with no shell. */
  command: string | string[];
  cwd: string;
  /** The complete environment: nothing is inherited from the daemon. */
  env: Record<string, string>;
}

interface RunningContainer {
  pid: number;
  /** Settles after onExit has been called. */
  exited: Promise<void>;
  /** For an adopted container: stops watching it (it is not this process's child). */
  unwatch?: () => void;
}

// An adopted container is not this process's child, so no exit event comes: it is polled.
const ADOPTED_POLL_MS = 100;

/** The local platform's container processes, one process group each. */
export class ContainerProcesses {
  readonly #logDir: string;
  readonly #pidDir: string | undefined;
  readonly #onExit: ContainerProcessesOptions['onExit'];
  readonly #running = new Map<string, RunningContainer>();

  constructor(o: ContainerProcessesOptions) {
    this.#logDir = o.logDir;
    this.#pidDir = o.pidDir;
    this.#onExit = o.onExit;
  }

  /** Starts a container; its exit is reported through onExit. pid is 0 if it could not be spawned. */
  start(o: ContainerLaunch): { pid: number } {
    if (o.containerId === '' || /[/\\\0]/.test(o.containerId)) {
      throw new Error(`container id ${JSON.stringify(o.containerId)} cannot name a log file`);
    }
    if (this.#running.has(o.containerId)) throw new Error(`container ${o.containerId} is already running`);
    const command = typeof o.command === 'string' ? ['sh', '-c', o.command] : o.command;
    if (command[0] === undefined || command[0] === '')
      throw new Error(`container ${o.containerId} has an empty command`);
    const [file = '', ...args] =
      this.#pidDir === undefined ? command : withPidFile(this.pidPath(o.containerId), command, o.env);

    // Logs can hold whatever the app prints (tokens, customer data): owner-only.
    mkdirSync(this.#logDir, { recursive: true, mode: 0o700 });
    chmodSync(this.#logDir, 0o700);
    const logFd = openLog(this.logPath(o.containerId));
    let subprocess: ResultPromise;
    try {
      fchmodSync(logFd, 0o600);
      subprocess = execa(file, args, {
        cwd: o.cwd,
        env: o.env,
        extendEnv: false,
        // Its own process group, so terminate reaches the children a Procfile line spawns.
        detached: true,
        stdin: 'ignore',
        // The descriptor itself goes to the child (no pipe through the daemon), so output is
        // kept if the daemon dies and a child holding it cannot delay the exit. execa passes any
        // fd number straight to spawn; its types only list 1 and 2.
        stdout: logFd as 1,
        stderr: logFd as 1,
        // Exits are reported through onExit, never as a rejection.
        reject: false,
        // terminate() does its own SIGTERM → SIGKILL on the whole group.
        forceKillAfterDelay: false,
      });
    } finally {
      // The child holds its own copy of the descriptor.
      closeSync(logFd);
    }

    const containerId = o.containerId;
    const exited = subprocess.then((result) => {
      if (this.#running.get(containerId)?.exited !== exited) return; // released meanwhile
      this.#running.delete(containerId);
      if (this.#pidDir !== undefined) rmSync(this.pidPath(containerId), { force: true });
      if (result.failed && result.exitCode === undefined && result.signal === undefined) {
        // It never ran (no such file, bad cwd): say why where the operator will look.
        this.#appendToLog(containerId, `cutover: could not start: ${result.shortMessage}\n`);
      }
      // A container's stray children must not outlive it: they would keep its port and files.
      if (subprocess.pid !== undefined) killGroup(subprocess.pid, 'SIGKILL');
      this.#onExit(containerId, result.exitCode ?? null, result.signal ?? null);
    });
    this.#running.set(containerId, { pid: subprocess.pid ?? 0, exited });
    return { pid: subprocess.pid ?? 0 };
  }

  /**
   * Takes over a container an earlier daemon started (A1): it keeps running, and its exit is
   * reported through onExit like any other. `identity` is what proves the process is it.
   */
  adopt(containerId: string, identity: ProcessIdentity): void {
    if (this.#running.has(containerId)) throw new Error(`container ${containerId} is already running`);
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      timer = setInterval(() => {
        if (isRunning(identity)) return;
        clearInterval(timer);
        this.#running.delete(containerId);
        if (this.#pidDir !== undefined) rmSync(this.pidPath(containerId), { force: true });
        killGroup(identity.pid, 'SIGKILL'); // the children it left behind
        // Not our child: its exit code is its parent's to read, not ours.
        this.#onExit(containerId, null, null);
        resolve();
      }, ADOPTED_POLL_MS);
    });
    this.#running.set(containerId, { pid: identity.pid, exited, unwatch: () => clearInterval(timer) });
  }

  /**
   * Lets go of every container without stopping it (the daemon stops, its apps keep running):
   * no exit is reported from now on. The next daemon adopts them.
   */
  release(): void {
    for (const container of this.#running.values()) container.unwatch?.();
    this.#running.clear();
  }

  /** SIGTERM to the container's group now, SIGKILL after graceMs; resolves once its exit was reported. */
  async terminate(containerId: string, graceMs: number): Promise<void> {
    const container = this.#running.get(containerId);
    if (container === undefined) return;
    if (container.pid !== 0) killGroup(container.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (container.pid !== 0) killGroup(container.pid, 'SIGKILL');
    }, graceMs);
    try {
      await container.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The file a container's stdout and stderr are appended to. */
  logPath(containerId: string): string {
    return join(this.#logDir, `${containerId}.log`);
  }

  /** The file a container writes its pid to before it runs its command. */
  pidPath(containerId: string): string {
    return join(this.#pidDir ?? this.#logDir, `${containerId}.pid`);
  }

  /** Ids of the containers whose process has not exited yet. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  /** Terminates every running container at once (T1, daemon shutdown). */
  async stopAll(graceMs: number): Promise<void> {
    await Promise.all(this.running().map((id) => this.terminate(id, graceMs)));
  }

  #appendToLog(containerId: string, text: string): void {
    try {
      const fd = openLog(this.logPath(containerId));
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
    } catch {
      // The log is a courtesy; the exit is still reported.
    }
  }
}

// `sh -c SCRIPT PIDFILE COMMAND...`: the shell writes its pid, then becomes the command (exec
// keeps the pid). Only fixed strings reach the script; the command stays an argument array.
const WRITE_PID_THEN_EXEC = 'echo $$ >"$0" || exit 126; exec "$@"';
// dash exports PWD to what it execs; a container's environment is only what it was given.
const WITHOUT_PWD = `unset PWD; ${WRITE_PID_THEN_EXEC}`;

function withPidFile(pidFile: string, command: string[], env: Record<string, string>): string[] {
  return ['sh', '-c', 'PWD' in env ? WRITE_PID_THEN_EXEC : WITHOUT_PWD, pidFile, ...command];
}

/** Opens a log for appending; O_NOFOLLOW, so a symbolic link planted in its place is refused. */
function openLog(file: string): number {
  return openSync(
    file,
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
    0o600,
  );
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
