// The container launcher: carries out `start-container` and `terminate`, probes each new
// container until it is ready and then for as long as it runs (H1), and reports readiness and
// exits to the engine. It keeps each
// container's port so the engine's `route` can reach it.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Effect } from '../../engine/effects.ts';
import type { PlatformEvent } from '../../engine/events.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import { ContainerProcesses } from '../runtime/container-processes.ts';
import { freePort } from '../runtime/free-port.ts';
import { startTicksOf } from '../runtime/process-identity.ts';
import { waitUntilReady, watchReadiness } from '../runtime/readiness.ts';
import type { Store } from '../store/store.ts';
import type { Adoption } from './adopter.ts';
import { stamp } from './clock.ts';
import { baseEnv } from './daemon-env.ts';

export interface ContainerLauncherOptions {
  imagesDir: string;
  logDir: string;
  pidDir: string;
  /** Where each container gets a writable directory of its own, removed when it exits. */
  scratchDir: string;
  /** PATH and the like for containers. */
  env: NodeJS.ProcessEnv;
  /** The values of these secrets for the app's containers (B2), from wherever they are held. */
  secrets(appName: string, names: string[]): Record<string, string>;
  store: Store;
  /** The app's name for an app id (containers see it as CUTOVER_APP). */
  appName(appId: string): string;
  /** A container is going away: the proxies end what they still send it. */
  abandon(appName: string, fn: string, containerId: string): void;
  report(
    event: Extract<PlatformEvent, { type: 'container-ready' | 'container-unready' | 'container-exited' }>,
  ): void;
  /** A container's readiness answer changed (the screen shows the last one). */
  answered(containerId: string): void;
  /** A record could not be written: the daemon must stop. */
  fatal(error: unknown): void;
}

interface Launched {
  appName: string;
  function: string;
  port: number | null;
  terminated: boolean;
}

export class ContainerLauncher {
  private readonly processes: ContainerProcesses;
  private readonly launched = new Map<string, Launched>();
  private readonly readiness = new Map<string, AbortController>();
  /** H1: each container's last readiness answer, for the screen (the newest 200 kept). */
  private readonly probes = new Map<string, string>();
  private closed = false;

  constructor(private readonly options: ContainerLauncherOptions) {
    this.processes = new ContainerProcesses({
      logDir: options.logDir,
      pidDir: options.pidDir,
      onExit: (id, code, signal) => this.exited(id, code, signal),
    });
  }

  /** A container's last readiness answer, if it was probed. */
  probeAnswer(containerId: string): string | undefined {
    return this.probes.get(containerId);
  }

  /** The port a container listens on, once it has one. */
  portOf(containerId: string): number | null {
    return this.launched.get(containerId)?.port ?? null;
  }

  /** Starts the container; one that cannot start is reported as exited (H1 replaces it). */
  start(effect: Extract<Effect, { type: 'start-container' }>): void {
    this.launch(effect).catch((error: unknown) => {
      if (error instanceof RecordError) return this.options.fatal(error.cause);
      const { id } = effect.container;
      this.launched.delete(id);
      process.stderr.write(`cutover daemon: container ${id} could not start: ${String(error)}\n`);
      if (!this.closed)
        this.options.report({
          type: 'container-exited',
          ...stamp(),
          containerId: id,
          code: null,
          signal: null,
        });
    });
  }

  private async launch(effect: Extract<Effect, { type: 'start-container' }>): Promise<void> {
    const { container, function: fn } = effect;
    const { store } = this.options;
    const appName = this.options.appName(container.appId);
    const entry: Launched = { appName, function: fn.name, port: null, terminated: false };
    this.launched.set(container.id, entry);
    const record = {
      id: container.id,
      appId: container.appId,
      function: fn.name,
      version: container.version,
      pid: null as number | null,
      startedAt: container.startedAt,
    };
    recorded(() => store.saveContainer(record));
    const port = await freePort();
    if (entry.terminated || this.closed) return;
    entry.port = port;
    const secrets = this.options.secrets(appName, effect.secrets);
    // The image is read-only (what a rollback runs must not change): writes go here instead.
    const scratch = scratchOf(this.options.scratchDir, container.id);
    mkdirSync(scratch, { recursive: true, mode: 0o700 });
    const env = {
      ...baseEnv(this.options.env),
      TMPDIR: scratch,
      HOME: scratch,
      ...effect.env,
      ...secrets,
      PORT: String(port),
      CUTOVER_APP: appName,
      CUTOVER_FUNCTION: fn.name,
      CUTOVER_VERSION: String(container.version),
      CUTOVER_CONTAINER: container.id,
    };
    const { pid } = this.processes.start({
      containerId: container.id,
      command: fn.command,
      cwd: join(this.options.imagesDir, effect.image.slice(7)),
      env,
    });
    // Its start time is fixed at fork: with the pid, it tells this process from any later one.
    recorded(() => store.saveContainer({ ...record, pid: pid || null, startTicks: startTicksOf(pid), port }));
    this.probe(container.id, port, fn, false);
  }

  /** Probes until ready (unless `ready` already), then for as long as the container runs (H1). */
  private probe(containerId: string, port: number, fn: ProbeSettings, ready: boolean): void {
    const abort = new AbortController();
    this.readiness.set(containerId, abort);
    const onAnswer = (answer: string) => {
      if (this.probes.get(containerId) === answer) return;
      this.probes.delete(containerId);
      this.probes.set(containerId, answer);
      this.options.answered(containerId);
      if (this.probes.size > 200) this.probes.delete(this.probes.keys().next().value!);
    };
    // Probed often: each probe is a refused connection until it listens, and every wave of a
    // rolling rollout waits on this (the engine, not the probe, owns the start timeout).
    const started = ready
      ? Promise.resolve()
      : waitUntilReady({ port, ready: fn.ready, signal: abort.signal, intervalMs: 20, onAnswer }).then(() =>
          this.options.report({ type: 'container-ready', ...stamp(), containerId }),
        );
    started.then(
      () =>
        // H1: probed for as long as it runs; failing readiness takes it out of routing.
        watchReadiness({
          port,
          ready: fn.ready,
          signal: abort.signal,
          periodMs: fn.probePeriodMs,
          timeoutMs: fn.probeTimeoutMs,
          failureThreshold: fn.probeFailures,
          onUnready: (reason) =>
            this.options.report({ type: 'container-unready', ...stamp(), containerId, reason }),
        }).catch(() => undefined), // aborted: the container exited or was terminated
      () => undefined, // aborted: the container exited or was terminated
    );
  }

  terminate(containerId: string, graceMs: number): void {
    this.readiness.get(containerId)?.abort();
    this.readiness.delete(containerId);
    const entry = this.launched.get(containerId);
    if (entry) {
      entry.terminated = true;
      this.options.abandon(entry.appName, entry.function, containerId);
    }
    if (this.processes.running().includes(containerId)) {
      this.processes.terminate(containerId, graceMs).catch(() => undefined);
    }
  }

  /** Takes over a container an earlier daemon started (A1); probes it again if it was not ready. */
  adopt(adoption: Adoption): void {
    this.launched.set(adoption.id, {
      appName: adoption.appName,
      function: adoption.function,
      port: adoption.port,
      terminated: false,
    });
    this.processes.adopt(adoption.id, adoption.identity);
    this.probe(adoption.id, adoption.port, adoption.probe, adoption.ready);
  }

  /** Lets go of every container without stopping it: the apps keep running after the daemon. */
  release(): void {
    this.closed = true;
    for (const abort of this.readiness.values()) abort.abort();
    this.processes.release();
  }

  /** Stops every container (the daemon is going away) and records their exits. */
  async stopAll(graceMs: number): Promise<void> {
    this.closed = true;
    for (const abort of this.readiness.values()) abort.abort();
    await this.processes.stopAll(graceMs);
  }

  /** Ids of containers whose process still runs. */
  running(): string[] {
    return this.processes.running();
  }

  private exited(containerId: string, code: number | null, signal: string | null): void {
    this.readiness.get(containerId)?.abort();
    this.readiness.delete(containerId);
    this.launched.delete(containerId);
    if (this.closed) return;
    rmSync(scratchOf(this.options.scratchDir, containerId), { recursive: true, force: true });
    try {
      this.options.store.containerExited(containerId, Date.now());
    } catch (error) {
      this.options.fatal(error);
      return;
    }
    this.options.report({ type: 'container-exited', ...stamp(), containerId, code, signal });
  }
}

/** What probing a container needs of its function. */
type ProbeSettings = Pick<FunctionSpec, 'ready' | 'probePeriodMs' | 'probeTimeoutMs' | 'probeFailures'>;

export function scratchOf(scratchDir: string, containerId: string): string {
  return join(scratchDir, containerId);
}

/** A store write that failed while launching: not the container's fault, the daemon's. */
class RecordError extends Error {}

function recorded(write: () => void): void {
  try {
    write();
  } catch (error) {
    throw new RecordError('a container record could not be written', { cause: error });
  }
}
