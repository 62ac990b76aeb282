// The defaults of a function's limits (Q1, R1, H1), shared by the manifest and by versions
// recorded before these settings existed.
import type { FunctionSpec, RetryPolicy } from './types.ts';

/** The settings every function has, whether or not its manifest names them. */
export type FunctionLimits = Pick<
  FunctionSpec,
  | 'retry'
  | 'maxQueue'
  | 'queueTimeoutMs'
  | 'maxBodyBytes'
  | 'requestTimeoutMs'
  | 'probePeriodMs'
  | 'probeTimeoutMs'
  | 'probeFailures'
  | 'minReadyMs'
>;

/** Kubernetes-like probe defaults (period 10 s, timeout 1 s, three failures); nginx-like timeouts. */
export const FUNCTION_DEFAULTS: FunctionLimits = {
  retry: 'idempotent',
  maxQueue: 1000,
  queueTimeoutMs: 30_000,
  maxBodyBytes: 10 * 1024 * 1024,
  requestTimeoutMs: 60_000,
  probePeriodMs: 10_000,
  probeTimeoutMs: 1_000,
  probeFailures: 3,
  minReadyMs: 5_000,
};

/** A function spec with every limit set (a version recorded before a limit existed lacks it). */
export function withDefaults(
  fn: Omit<FunctionSpec, keyof FunctionLimits> & Partial<FunctionLimits>,
): FunctionSpec {
  const filled = { ...FUNCTION_DEFAULTS } as FunctionSpec;
  for (const [key, value] of Object.entries(fn)) {
    if (value !== undefined) (filled as unknown as Record<string, unknown>)[key] = value;
  }
  return filled;
}

// RFC 9110 §9.2.2: the methods whose intended effect is the same however often they run.
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * R1: may an input be sent to another container? `unsent` when the attempt provably never reached
 * the app (refused, or never given to it); otherwise it may have run.
 */
export function mayRetry(policy: RetryPolicy, method: string, unsent: boolean): boolean {
  if (policy === 'never') return false;
  if (unsent) return true;
  return policy === 'idempotent' && IDEMPOTENT_METHODS.has(method);
}
