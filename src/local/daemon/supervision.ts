// What the supervisor and its worker tell each other over the IPC channel (A1). The supervisor
// owns the listening sockets, the control socket and every proxy port, and hands them to each
// worker it starts; the worker owns everything else. Handles travel with the messages marked +h.

/** Supervisor → worker. */
export type ToWorker =
  /** +h: the control socket (daemon.sock), bound and held by the supervisor. */
  | { type: 'control' }
  /** +h: a proxy port an earlier worker opened, still held, with whose it is. */
  | { type: 'held'; port: number; appName: string; fn: string }
  /** Secret values an earlier worker was given (B2): kept in the supervisor's memory only. */
  | { type: 'secrets'; app: string; values: Record<string, string> }
  /** Every handle has been sent: the worker may start. */
  | { type: 'start' }
  /** +h: the answer to `listen`. */
  | { type: 'listening'; id: number; port: number }
  | { type: 'listen-failed'; id: number; code: string; message: string }
  /** The supervisor was asked to stop (SIGTERM): drain, then exit. */
  | { type: 'stop'; apps: boolean };

/** Worker → supervisor. */
export type ToSupervisor =
  /** A listening socket on 127.0.0.1:port (0: any free port) for this function. */
  | { type: 'listen'; id: number; port: number; appName: string; fn: string }
  /** T1: a stopped app's port is no longer served: close it, so any program may bind it. */
  | { type: 'release'; port: number }
  /** An app's secret values changed: keep a copy for the next worker (memory only, B2). */
  | { type: 'secrets'; app: string; values: Record<string, string> }
  /** The worker serves: restarts from here on are not a crash loop. */
  | { type: 'serving'; pid: number }
  /** The worker exits on purpose (daemon stop): do not restart it; exit too. */
  | { type: 'stopping' };

/** The hidden subcommand the supervisor runs its worker as. */
export const WORKER_COMMAND = ['daemon', 'worker'];
