// deploy, rollback and rollover wait until their version's rollout ends, printing a line each
// time its progress changes (like `kubectl rollout status`).
import type { Provider } from '../../engine/provider.ts';
import type { Snapshot } from '../../engine/snapshot.ts';
import type { CliContext } from '../context.ts';
import { println } from '../output.ts';
import { EXIT } from '../usage-error.ts';

/** How a rollout ended. `rollbackable`: it failed, nothing replaced it yet, and it is no rollback (H1). */
export interface RolloutEnd {
  ok: boolean;
  message: string;
  rollbackable?: boolean;
}

/** How a version's rollout ended, from the snapshot's point of view; null while it goes on. */
export function rolloutEnd(snapshot: Snapshot, version: number): RolloutEnd | null {
  const entry = snapshot.history.find((h) => h.version === version);
  if (!entry) return null;
  if (entry.outcome === 'active' && snapshot.rollout === null) {
    return { ok: true, message: `${snapshot.app} v${version} active` };
  }
  if (entry.outcome === 'failed') {
    const reason = snapshot.failed?.version === version ? `: ${snapshot.failed.reason}` : '';
    const after = snapshot.rollout
      ? `; v${snapshot.rollout.to} (${snapshot.rollout.kind}) is rolling out`
      : '';
    const rollbackable = snapshot.rollout === null && entry.kind !== 'rollback';
    return { ok: false, message: `${snapshot.app} v${version} failed${reason}${after}`, rollbackable };
  }
  if (entry.outcome === 'superseded') {
    const newer = snapshot.history[0];
    return {
      ok: false,
      message: `${snapshot.app} v${version} superseded by v${newer?.version} (${newer?.kind} by ${newer?.user})`,
    };
  }
  if (snapshot.status === 'stopped') return { ok: false, message: `${snapshot.app} was stopped` };
  return null;
}

export function progressLine(snapshot: Snapshot): string {
  const r = snapshot.rollout;
  if (!r) return `${snapshot.app} v${snapshot.version ?? '-'}`;
  // A platform with its own progress words (kubectl's) is shown in them.
  if (r.message) return r.message;
  const from = r.from === null ? '' : `v${r.from} → `;
  return `${from}v${r.to} ${r.strategy} ${r.phase}: ${r.ready}/${r.target} ready`;
}

/** Waits for `version` to finish rolling out; resolves to the exit code. */
export function waitForVersion(
  ctx: CliContext,
  provider: Provider,
  app: string,
  version: number,
  options: { timeoutMs: number; quiet: boolean },
): Promise<{ code: number; message: string; rollbackable: boolean }> {
  return new Promise((resolve) => {
    let last = '';
    let finished = false;
    const finish = (code: number, message: string, rollbackable = false) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve({ code, message, rollbackable });
    };
    const timer = setTimeout(
      () =>
        finish(EXIT.failed, `timed out after ${options.timeoutMs / 1000}s waiting for ${app} v${version}`),
      options.timeoutMs,
    );
    const unsubscribe = provider.watch(app, {
      snapshot: (snapshot) => {
        const end = rolloutEnd(snapshot, version);
        if (end) return finish(end.ok ? EXIT.ok : EXIT.failed, end.message, end.rollbackable);
        const line = progressLine(snapshot);
        if (line !== last && !options.quiet) println(ctx, line);
        last = line;
      },
      error: (error) => finish(EXIT.failed, error.message),
      feed: (state) => {
        if (!state.live && !options.quiet) println(ctx, state.message);
      },
    });
  });
}
