// Exit codes, as the CLI promises them (0 done, 1 the operation failed, 2 bad input), and the one
// place a platform's error or refusal becomes one.
import type { CommandReply, RefusalCode } from '../engine/effects.ts';
import type { ProviderErrorCode } from '../engine/provider-error.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const byProviderCode: Record<ProviderErrorCode, number> = {
  usage: EXIT.usage,
  'not-found': EXIT.usage,
  conflict: EXIT.failed,
  unavailable: EXIT.failed,
  forbidden: EXIT.failed,
  failed: EXIT.failed,
};

/** The exit code for a ProviderError's code. */
export function exitCodeFor(code: ProviderErrorCode): number {
  return byProviderCode[code];
}

const byRefusal: Record<RefusalCode, number> = {
  'unknown-app': EXIT.usage,
  'unknown-version': EXIT.usage,
  'no-earlier-version': EXIT.usage,
  'app-stopped': EXIT.usage,
  superseded: EXIT.failed,
  'build-failed': EXIT.failed,
  'no-rollout': EXIT.failed,
};

/** The exit code for a command the engine refused or that failed. */
export function refusalCode(reply: Extract<CommandReply, { ok: false }>): number {
  return byRefusal[reply.code] ?? EXIT.failed;
}
