// The one error type every provider throws, so the CLI maps platforms' failures to exit codes in
// one place (src/cli/exit-codes.ts) without knowing which platform failed.

/**
 * - `usage`: the request was wrong (a bad flag, version or target); nothing was changed.
 * - `not-found`: the app, version, context or namespace does not exist.
 * - `conflict`: the platform's state refuses it now (a paused Deployment, a held lease).
 * - `unavailable`: the platform could not be reached or timed out.
 * - `forbidden`: the credentials were refused or lack the permission.
 * - `failed`: the platform tried and failed (a build, a rollout, a tool's non-zero exit).
 */
export type ProviderErrorCode = 'usage' | 'not-found' | 'conflict' | 'unavailable' | 'forbidden' | 'failed';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly options: {
      /** A finer machine-readable reason (`port-in-use`, `ProgressDeadlineExceeded`); --json shows it. */
      reason?: string;
      /** Longer text that goes with it: a tool's output, a build log. */
      detail?: string;
    } = {},
  ) {
    super(message);
  }

  /** The code scripts read in `--json`: the finer reason where there is one. */
  get reason(): string {
    return this.options.reason ?? this.code;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
