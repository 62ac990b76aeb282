// What a starting daemon rebuilds from the store (write-ahead): every app with its versions, its
// recent events and samples (M1), and the containers an earlier daemon left running (A1).
import { defaultEngineOptions, type EngineOptions } from '../../engine/options.ts';
import { type RestoredWorld, restoreWorld } from '../../engine/restore.ts';
import type { Store } from '../store/store.ts';
import { type Adoption, adoptOrKill, type ContainerDirs, dismiss } from './adopter.ts';
import { stamp } from './clock.ts';

export interface Restored extends RestoredWorld {
  /** The id counter as recorded: the engine's ids go on above it. */
  savedSequence: number;
  /** The containers the engine took on, for the launcher to watch and route to. */
  adoptions: Adoption[];
}

export async function restoreFromRecords(
  store: Store,
  dirs: ContainerDirs,
  engine: Partial<EngineOptions> = {},
): Promise<Restored> {
  const options = { ...defaultEngineOptions, ...engine };
  const loadedAt = Date.now();
  // M1: the screen's events and chart go on where they were before the restart.
  const records = store.loadAll().map((r) => ({
    ...r,
    events: store.events(r.app.id, { limit: options.recentEvents }),
    metrics: store.metrics(r.app.id, loadedAt - options.recentMetrics * 1000),
  }));
  const found = await adoptOrKill(store, dirs, records, Date.now());
  const savedSequence = store.counter('ids');
  const { at, wall } = stamp();
  const restored = restoreWorld(records, at, savedSequence, engine, found, wall);
  // Whatever the engine would not take after all (its app or version changed) is stopped.
  const taken = new Set(restored.adopted);
  for (const adoption of found) if (!taken.has(adoption.id)) dismiss(store, dirs, adoption, Date.now());
  return { ...restored, savedSequence, adoptions: found.filter((a) => taken.has(a.id)) };
}
