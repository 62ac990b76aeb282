// Each input's fate, tracked independently of the engine from what the platform saw: routed
// once at a time, answered or completed exactly once (exactly-once), and never sent again after an
// attempt that may have run it unless its method may run twice (R1).
import type { InputError } from '../engine/effects.ts';
import type { World } from '../engine/world.ts';
import type { Violation } from './violation.ts';

type InputFate =
  | {
      state: 'pending';
      container: string | null;
      attempt: number;
      method: string;
      /** An earlier attempt may have reached the app (it was not refused before a byte was sent). */
      reached: boolean;
    }
  | { state: 'completed' | 'answered' | 'cancelled' | 'lost' };

// R1, stated independently of the engine: what may run twice.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

const STATED_ERRORS: ReadonlySet<InputError> = new Set([
  'app-stopped',
  'no-version',
  'no-function',
  'retries-exhausted',
  'not-retried',
  'queue-full',
  'queue-timeout',
]);

/** Every input's fate since it arrived, and the containers the effects terminated. */
export class InputFates {
  private readonly inputs = new Map<string, InputFate>();
  private readonly terminated = new Set<string>();

  arrived(inputId: string, method: string): void {
    this.inputs.set(inputId, { state: 'pending', container: null, attempt: 0, method, reached: false });
  }

  routed(world: World, inputId: string, containerId: string, attempt: number): Violation | null {
    const fate = this.inputs.get(inputId);
    if (fate?.state !== 'pending') {
      return {
        rule: 'exactly-once',
        message: `${inputId} routed after it ended (${fate?.state ?? 'unknown'})`,
      };
    }
    if (fate.container !== null && !this.terminated.has(fate.container)) {
      return {
        rule: 'exactly-once',
        message: `${inputId} routed to ${containerId} while still on ${fate.container}`,
      };
    }
    // An attempt the engine gave up on (its container went) may have run: only refused ones did not.
    const reached = fate.reached || fate.container !== null;
    if (reached && !IDEMPOTENT.has(fate.method)) {
      return {
        rule: 'R1',
        message: `${fate.method} ${inputId} sent to ${containerId} after an attempt that may have run it`,
      };
    }
    const appId = world.containerApp.get(containerId);
    const c = appId === undefined ? undefined : world.apps.get(appId)?.containers.get(containerId);
    if (c?.state !== 'ready' || !c.accepting || c.inFlight > c.concurrency) {
      return { rule: 'routing', message: `${inputId} routed to ${containerId}, which cannot take it` };
    }
    this.inputs.set(inputId, { ...fate, container: containerId, attempt, reached });
    return null;
  }

  /** Lost with a crashed daemon: its connection died with it, nothing about it is reported. */
  isLost(inputId: string): boolean {
    return this.inputs.get(inputId)?.state === 'lost';
  }

  isCurrentAttempt(inputId: string, containerId: string, attempt: number): boolean {
    const fate = this.inputs.get(inputId);
    return fate?.state === 'pending' && fate.container === containerId && fate.attempt === attempt;
  }

  /**
   * The container answered the current attempt (ok) or the connection broke (not ok); `unsent`
   * when it was refused before anything reached the app.
   */
  completed(inputId: string, ok: boolean, unsent = false): Violation | null {
    const fate = this.inputs.get(inputId);
    if (fate?.state !== 'pending') {
      return { rule: 'exactly-once', message: `${inputId} completed twice` };
    }
    this.inputs.set(
      inputId,
      ok ? { state: 'completed' } : { ...fate, container: null, reached: fate.reached || !unsent },
    );
    return null;
  }

  /** Q1: the client left; the engine drops it only while it waits in the queue. */
  cancelled(inputId: string): void {
    const fate = this.inputs.get(inputId);
    if (fate?.state !== 'pending') return;
    if (fate.container === null || this.terminated.has(fate.container))
      this.inputs.set(inputId, { state: 'cancelled' });
  }

  answered(inputId: string, error: InputError): Violation | null {
    const fate = this.inputs.get(inputId);
    if (fate && fate.state !== 'pending') {
      return { rule: 'exactly-once', message: `${inputId} answered after it ${fate.state}` };
    }
    if (!STATED_ERRORS.has(error))
      return { rule: 'exactly-once', message: `${inputId} answered with ${error}` };
    this.inputs.set(inputId, { state: 'answered' });
    return null;
  }

  /** The daemon died: what was in flight inside it is lost with it (A1 allows exactly that). */
  crashed(): void {
    for (const [id, fate] of this.inputs)
      if (fate.state === 'pending') this.inputs.set(id, { state: 'lost' });
  }

  containerTerminated(containerId: string): void {
    this.terminated.add(containerId);
  }

  /** Inputs neither completed, answered, cancelled nor lost. */
  pending(): string[] {
    return [...this.inputs].filter(([, fate]) => fate.state === 'pending').map(([id]) => id);
  }
}
