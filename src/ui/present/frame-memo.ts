// What a frame computed last time, per panel, reused while everything the panel depends on is
// the same (compared with ===). Snapshots that differ only in their metrics keep their other
// objects (snapshot-sharing.ts), so a second's frame recomputes the chart and the ages, and
// reuses the rest. A frame without a memo computes everything: the result is the same.
import type { Snapshot } from '../../engine/snapshot.ts';

export class FrameMemo {
  private readonly slots = new Map<string, { keys: unknown[]; value: unknown }>();

  /** The value last computed for `slot` if `keys` are the same as then; else computes it. */
  get<T>(slot: string, keys: unknown[], compute: () => T): T {
    const last = this.slots.get(slot);
    if (last !== undefined && last.keys.length === keys.length && last.keys.every((k, i) => k === keys[i]))
      return last.value as T;
    const value = compute();
    this.slots.set(slot, { keys, value });
    return value;
  }
}

/** Computes every time: frames drawn without a memo (the component tests' first frame). */
export const noMemo = { get: <T>(_slot: string, _keys: unknown[], compute: () => T): T => compute() };

/** Everything of a snapshot but its metrics and time, as memo keys. */
export function snapshotParts(snapshot: Snapshot): unknown[] {
  const parts: unknown[] = [];
  for (const [key, value] of Object.entries(snapshot))
    if (key !== 'metrics' && key !== 'at') parts.push(key, value);
  return parts;
}
