// cutover watch APP [--plain] [--json] — the live screen; one line per change when stdout is not
// a terminal (or --plain); NDJSON snapshots with --json.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifest } from '../../local/manifest.ts';
import type { OverviewData, OverviewSource } from '../../ui/overview/overview-feed.ts';
import { appOption, parse } from '../args.ts';
import { autoRollback } from '../auto-rollback.ts';
import { type CliContext, changingTarget, openProvider, targetOptions, userOf } from '../context.ts';
import { printJson, println, table } from '../output.ts';
import { describeTarget, loadTargets, resolveTarget, type Target, type TargetFlags } from '../targets.ts';
import { EXIT } from '../usage-error.ts';

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
      'auto-rollback': { type: 'boolean', default: false },
      ...appOption,
      ...targetOptions,
    },
    1,
  );
  const mode = values.json ? 'json' : values.plain || !ctx.stdout.isTTY ? 'plain' : 'tui';
  if (positionals[0] === undefined) return overview(ctx, values, mode);
  const app = positionals[0];
  // The screen's code (Ink, React, Yoga) loads while the daemon answers, not after it.
  const screen = import('../../ui/watch.ts');
  screen.catch(() => undefined); // awaited below; an earlier error must not leave it unhandled
  const autoRollbackOn = values['auto-rollback'];
  const target = autoRollbackOn ? changingTarget(ctx, 'watch', values) : resolveTarget(ctx.env, values);
  const provider = await openProvider(ctx, target);
  // An unknown app is a usage error before the screen opens; a known one is the first frame.
  const snapshot = await provider.snapshot(app);
  // H1: the rollback is attributed to the auto-rollback, so the event log says who did it; the
  // plain and json modes also say it on stderr (the screen would be torn by it).
  const stopAuto = autoRollbackOn
    ? autoRollback(provider, app, `${userOf(ctx)} (auto-rollback)`, (line) => {
        if (mode !== 'tui') ctx.stderr.write(`${line}\n`);
      })
    : () => undefined;
  try {
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
    stopAuto();
    provider.close();
  }
}

/** The targets the overview reads: the one the flags name, or local and every configured one. */
function overviewTargets(ctx: CliContext, flags: TargetFlags): Target[] {
  const named = Object.keys(targetOptions).some(
    (k) => k !== 'readonly' && (flags as Record<string, unknown>)[k] !== undefined,
  );
  if (named) return [resolveTarget(ctx.env, flags)];
  const all = [{ name: null, platform: 'local', readonly: false } as Target, ...loadTargets(ctx.env)];
  return flags.readonly ? all.map((t) => ({ ...t, readonly: true })) : all;
}

/** `cutover` and `cutover watch` without an app: every app on every target. */
export async function overview(
  ctx: CliContext,
  flags: TargetFlags,
  mode: 'tui' | 'plain' | 'json',
): Promise<number> {
  const screen = import('../../ui/overview/run-overview.ts');
  screen.catch(() => undefined);
  const targets = overviewTargets(ctx, flags);
  const sources: OverviewSource[] = await Promise.all(
    targets.map(async (target) => {
      const label = describeTarget(target);
      try {
        return { label, provider: await openProvider(ctx, target), readonly: target.readonly };
      } catch (error) {
        return { label, provider: null, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  try {
    if (mode !== 'tui') return await overviewOnce(ctx, sources, mode);
    const { runOverview } = await screen;
    return await runOverview({
      sources,
      user: userOf(ctx),
      stdin: ctx.stdin,
      stdout: ctx.stdout,
      env: ctx.env,
      deployDirFor: (_source, app) => deployDirFor(ctx.cwd, app),
    });
  } finally {
    for (const s of sources) s.provider?.close();
  }
}

/** Not a terminal (or --plain, --json): the overview once, as a table or JSON. */
async function overviewOnce(
  ctx: CliContext,
  sources: OverviewSource[],
  mode: 'plain' | 'json',
): Promise<number> {
  const { overviewFeed } = await import('../../ui/overview/overview-feed.ts');
  const data = await new Promise<OverviewData>((resolve) => {
    const feed = overviewFeed(sources, (d) => {
      feed.stop();
      resolve(d);
    });
  });
  if (mode === 'json') {
    const apps = data.rows.map((r) => ({
      app: r.app,
      target: r.target,
      status: r.status,
      version: r.version,
      rollout: r.progress,
      ready: r.ready,
      wanted: r.wanted,
      failedPerSecond: r.failedPerSecond,
    }));
    printJson(ctx, { apps, errors: data.errors });
    return data.errors.length > 0 ? EXIT.failed : EXIT.ok;
  }
  println(
    ctx,
    table([
      ['APP', 'TARGET', 'VERSION', 'ROLLOUT', 'READY', 'FAILED/S'],
      ...data.rows.map((r) => [
        r.app,
        r.target,
        r.version === null ? '-' : `v${r.version}`,
        r.progress,
        `${r.ready}/${r.wanted}`,
        r.failedPerSecond === null ? 'not reported' : r.failedPerSecond.toFixed(1),
      ]),
    ]),
  );
  for (const e of data.errors) ctx.stderr.write(`${e.target}: ${e.message}\n`);
  return data.errors.length > 0 ? EXIT.failed : EXIT.ok;
}
