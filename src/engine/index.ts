// The engine's public surface: what the local runtime, the providers, the UI and the CLI use.

export { previousVersion } from './commands.ts';
export * from './effects.ts';
export * from './events.ts';
export type { EngineOptions } from './options.ts';
export { defaultEngineOptions } from './options.ts';
export * from './provider.ts';
export { type RestoredWorld, restoreWorld } from './restore.ts';
export * from './snapshot.ts';
export { type SnapshotOptions, snapshotOf, versionSummary } from './snapshot-of.ts';
export { specHash, stableJson } from './spec-hash.ts';
export { type StepResult, step } from './step.ts';
export * from './types.ts';
export { createWorld, type World } from './world.ts';
