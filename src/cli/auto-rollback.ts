// H1 for platforms that do not roll back by themselves (Kubernetes has no automatic rollback):
// with --auto-rollback, `watch` rolls back a newest version that failed, once per version, never
// a rollback (a rollback never rolls itself back), and says so.
import type { Provider } from '../engine/provider.ts';
import type { Snapshot } from '../engine/snapshot.ts';

/** The failed version to roll back from, or null: failed, nothing replaced it yet, not a rollback. */
export function autoRollbackDue(snapshot: Snapshot, done: ReadonlySet<number>): number | null {
  const failed = snapshot.failed;
  if (!failed || snapshot.rollout !== null || snapshot.status === 'stopped' || done.has(failed.version))
    return null;
  const version = snapshot.history.find((v) => v.version === failed.version);
  if (!version || version.kind === 'rollback' || snapshot.history[0]?.version !== failed.version) return null;
  return failed.version;
}

/** Watches `app` and rolls back each failed version once; `say` reports what it did. */
export function autoRollback(
  provider: Provider,
  app: string,
  user: string,
  say: (line: string) => void,
): () => void {
  const done = new Set<number>();
  return provider.watch(app, {
    snapshot: (snapshot) => {
      const version = autoRollbackDue(snapshot, done);
      if (version === null) return;
      done.add(version);
      provider.rollback(app, undefined, { user }).then(
        (reply) =>
          say(
            reply.ok
              ? `auto-rollback: v${version} failed (${snapshot.failed?.reason}); ${reply.message}`
              : `auto-rollback refused: ${reply.message}`,
          ),
        (error: Error) => say(`auto-rollback failed: ${error.message}`),
      );
    },
    error: () => undefined,
  });
}
