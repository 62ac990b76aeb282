// cutover watch APP [--plain] [--json] — the live screen; one line per change when stdout is not
// a terminal (or --plain); NDJSON snapshots with --json.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '../../local/manifest.ts';
import { parse, requireApp } from '../args.ts';
import { type CliContext, openProvider, targetOptions, userOf } from '../context.ts';
import { resolveTarget } from '../targets.ts';

/** The directory `d` deploys again: the current one, when its manifest is this app's. */
export function deployDirFor(cwd: string, app: string): string | null {
  if (!existsSync(join(cwd, 'cutover.toml'))) return null;
  try {
    return loadManifest(cwd).app === app ? cwd : null;
  } catch {
    return null;
  }
}

export async function watch(ctx: CliContext, argv: string[], deployDir?: string | null): Promise<number> {
  const { values, positionals } = parse(
    'watch',
    argv,
    {
      plain: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...targetOptions,
    },
    1,
  );
  const app = requireApp('watch', positionals[0]);
  // The screen's code (Ink, React, Yoga) loads while the daemon answers, not after it.
  const screen = import('../../ui/watch.ts');
  screen.catch(() => undefined); // awaited below; an earlier error must not leave it unhandled
  const target = resolveTarget(ctx.env, values);
  const provider = await openProvider(ctx, target);
  // An unknown app is a usage error before the screen opens; a known one is the first frame.
  const snapshot = await provider.snapshot(app);
  try {
    const mode = values.json ? 'json' : values.plain || !ctx.stdout.isTTY ? 'plain' : 'tui';
    const { runWatch } = await screen;
    return await runWatch({
      provider,
      // As typed: `shop` is the newest app of the name, `shop#1` an earlier one (its id is `shop` too).
      app,
      // `d` deploys a local app's directory again; other platforms deploy through their own tools.
      deployDir:
        target.platform !== 'local' ? null : deployDir === undefined ? deployDirFor(ctx.cwd, app) : deployDir,
      readonly: target.readonly,
      readonlyReason: target.name ? `target ${target.name} is read-only` : '--readonly was given',
      user: userOf(ctx),
      stdin: ctx.stdin,
      stdout: ctx.stdout,
      env: ctx.env,
      mode,
      initial: snapshot,
    });
  } finally {
    provider.close();
  }
}
