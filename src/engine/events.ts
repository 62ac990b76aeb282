// What happens to the engine, as data. Every event carries `at`, the injected clock's time in
// milliseconds: the engine reads time from nowhere else. `at` must never go backwards or jump
// (a monotonic clock): timeouts and back-offs are measured with it. `wall`, when given, is the
// wall-clock time, used only for what is recorded and shown (a version's creation, an event's
// time); an NTP step moves it, never a timeout.
import type { Spec, Strategy } from './types.ts';

/** Who asked, and how; common to every operator command. */
interface CommandBase {
  at: number;
  wall?: number;
  /** Echoed in the command's `reply` effect so the caller can match it. */
  requestId: string;
  /** The app's name; commands act on the newest app of that name. */
  app: string;
  user: string;
}

/** Keyed fingerprints of the secrets' current values, computed outside the engine (B2). */
export type SecretFingerprints = Record<string, string | null>;

export type CommandEvent =
  | (CommandBase & {
      type: 'deploy';
      spec: Spec;
      strategy?: Strategy;
      secretFingerprints: SecretFingerprints;
    })
  | (CommandBase & { type: 'rollover'; strategy?: Strategy; secretFingerprints: SecretFingerprints })
  | (CommandBase & {
      type: 'rollback';
      /** A version number; absent means the previous version. */
      to?: number;
      strategy?: Strategy;
      secretFingerprints: SecretFingerprints;
    })
  | (CommandBase & { type: 'stop' })
  /** P1: hold the rolling rollout in progress where it is; `resume` carries it on. */
  | (CommandBase & { type: 'pause' })
  | (CommandBase & { type: 'resume' });

export type PlatformEvent =
  | { type: 'build-finished'; at: number; wall?: number; buildId: string }
  | { type: 'build-failed'; at: number; wall?: number; buildId: string; output: string }
  | { type: 'container-ready'; at: number; wall?: number; containerId: string }
  /** The container's readiness check failed or it stopped answering it. */
  | { type: 'container-unready'; at: number; wall?: number; containerId: string; reason: string }
  | {
      type: 'container-exited';
      at: number;
      wall?: number;
      containerId: string;
      code: number | null;
      signal: string | null;
    }
  | {
      type: 'input-arrived';
      at: number;
      wall?: number;
      inputId: string;
      appId: string;
      function: string;
      method: string;
    }
  | { type: 'input-finished'; at: number; wall?: number; inputId: string; containerId: string }
  /**
   * The attempt could not complete on that container (refused, reset, timed out). R1: `unsent`
   * when it provably never reached the app; `final` when it cannot be sent again whatever its
   * method (its body already streamed, or part of the answer reached the client).
   */
  | {
      type: 'input-failed';
      at: number;
      wall?: number;
      inputId: string;
      containerId: string;
      reason: string;
      unsent: boolean;
      final: boolean;
    }
  /** Q1: the client left while its input waited in the queue. */
  | { type: 'input-cancelled'; at: number; wall?: number; inputId: string }
  | { type: 'tick'; at: number; wall?: number };

/** Everything `step` accepts. */
export type EngineEvent = CommandEvent | PlatformEvent;
