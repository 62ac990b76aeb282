// Exit codes, as the CLI promises them: 0 done, 1 the operation failed, 2 bad input.
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad input: printed with the command's usage hint, exit 2, nothing changed. */
export class UsageError extends Error {}

/** The operation ran and failed (a build, a rollout, a timeout): exit 1. */
export class OperationError extends Error {}
