// What the engine asks the platform to do, as data. The local runtime carries these out in
// order; `record-*` effects always come before the actions they describe (write-ahead).
import type { AppEvent, AppRecord, Container, FunctionSpec, MetricSample, Spec, Version } from './types.ts';

/** What a command's caller is told. */
export type CommandReply =
  | {
      ok: true;
      app: string;
      /** The version created, or the one already running for a no-op. */
      version: number;
      noop: boolean;
      rollbackOf: number | null;
      message: string;
      warnings: string[];
    }
  | { ok: false; app: string; code: RefusalCode; message: string };

/** Why a command changed nothing. */
export type RefusalCode =
  | 'unknown-app'
  | 'unknown-version'
  | 'no-earlier-version'
  | 'app-stopped'
  | 'superseded'
  | 'build-failed'
  /** P1: there is no rolling rollout to pause. */
  | 'no-rollout';

/** Why an input was answered with an error instead of a container's answer. */
export type InputError =
  | 'app-stopped'
  | 'no-version'
  | 'no-function'
  | 'retries-exhausted'
  /** R1: the attempt may have reached the app and its method or policy forbids running it again. */
  | 'not-retried'
  /** Q1: the function's queue is at max_queue. */
  | 'queue-full'
  /** Q1: it waited queue_timeout in the queue. */
  | 'queue-timeout';

export type Effect =
  | { type: 'record-app'; app: AppRecord }
  | { type: 'record-version'; appId: string; version: Version }
  | { type: 'record-event'; event: AppEvent }
  | { type: 'record-metrics'; sample: MetricSample }
  /** `requestId` is the deploy's, so its caller can be given the build's output. */
  | { type: 'build-image'; app: string; buildId: string; requestId: string; spec: Spec }
  | { type: 'cancel-build'; buildId: string }
  | {
      type: 'start-container';
      container: Container;
      function: FunctionSpec;
      env: Record<string, string>;
      image: string;
      secrets: string[];
    }
  /** The container takes no new inputs from now on (drain begins). */
  | { type: 'stop-inputs'; containerId: string }
  /** SIGTERM now, SIGKILL after `graceMs`. Inputs still on it have been requeued or answered. */
  | { type: 'terminate'; containerId: string; graceMs: number }
  | { type: 'route'; inputId: string; containerId: string; attempt: number }
  | { type: 'answer-error'; inputId: string; error: InputError; message: string }
  | { type: 'reply'; requestId: string; reply: CommandReply };

export type EffectType = Effect['type'];
