// The CLI's own errors; exit codes and their mapping live in exit-codes.ts.
export { EXIT } from './exit-codes.ts';

/** Bad input: printed with the command's usage hint, exit 2, nothing changed. */
export class UsageError extends Error {}

/** The operation ran and failed (a build, a rollout, a timeout): exit 1. */
export class OperationError extends Error {}
