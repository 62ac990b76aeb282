// cutover demo (npm start): deploys the example app with a visible cold start, drives it with a
// steady load, deploys a second version with the rolling strategy and opens the watch screen
// on it. Without CUTOVER_HOME it uses a throwaway state directory and stops everything on exit;
// with CUTOVER_HOME, quitting leaves the daemon and the app running like any other app.
// CUTOVER_DEMO_COLD_START_MS (milliseconds) replaces the example's 2.5 s cold start (its
// COLD_START_MS), so end-to-end tests and screenshots do not wait on it. After the second version
// it keeps the story going (demo-story.ts): a new version every CUTOVER_DEMO_EVERY_MS (40 s; 0
// stops it), some of them bad on purpose.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DaemonClient } from '../../local/daemon/client.ts';
import { alive, lockHolder } from '../../local/daemon/daemon-lock.ts';
import { parse } from '../args.ts';
import { type CliContext, connectProvider, pathsOf, userOf } from '../context.ts';
import { steadyLoad } from '../demo-load.ts';
import { tellStory } from '../demo-story.ts';
import { println } from '../output.ts';
import { EXIT, OperationError } from '../usage-error.ts';
import { waitForVersion } from './rollout-progress.ts';
import { watch } from './watch.ts';

const coldStartLine = /^COLD_START_MS = "(\d+)"$/m;

/** The demo copy's cold start: the example's, or `override` (ms) written into its manifest. */
function demoColdStart(appDir: string, override: string | undefined): number {
  const manifest = join(appDir, 'cutover.toml');
  const text = readFileSync(manifest, 'utf8');
  if (override === undefined || !/^\d+$/.test(override)) return Number(coldStartLine.exec(text)?.[1] ?? 2500);
  writeFileSync(manifest, text.replace(coldStartLine, `COLD_START_MS = "${override}"`));
  return Number(override);
}

export async function demo(ctx: CliContext, argv: string[]): Promise<number> {
  const { values } = parse('demo', argv, { plain: { type: 'boolean', default: false } }, 0);
  const throwaway = !ctx.env.CUTOVER_HOME;
  const home = throwaway ? mkdtempSync(join(tmpdir(), 'cutover-demo-')) : undefined;
  const demoCtx: CliContext = home ? { ...ctx, env: { ...ctx.env, CUTOVER_HOME: home } } : ctx;
  const paths = pathsOf(demoCtx);
  // The app is deployed from a copy, so making "v2" never touches the example in the repo.
  const example = resolve(dirname(ctx.entry), '..', 'examples', 'shop');
  const appDir = join(paths.home, 'demo-shop');
  cpSync(example, appDir, { recursive: true });
  const coldStartMs = demoColdStart(appDir, ctx.env.CUTOVER_DEMO_COLD_START_MS);

  // The first thing a newcomer reads: what to try.
  println(
    ctx,
    'cutover demo: press r to roll back mid-rollout, l on a failing container for its logs, ? for every key, q to quit',
  );
  const provider = await connectProvider(demoCtx);
  let load: ReturnType<typeof steadyLoad> | null = null;
  let story: ReturnType<typeof tellStory> | null = null;
  try {
    println(ctx, `state in ${paths.home}${throwaway ? ' (removed on exit)' : ''}`);
    const user = userOf(ctx);
    const first = await provider.deploy({ path: appDir }, { user });
    if (!first.ok) throw new OperationError(first.message);
    println(ctx, `${first.message}; waiting for its containers (a ${coldStartMs / 1000}s cold start each)…`);
    const ready = await waitForVersion(ctx, provider, 'shop', first.version, {
      timeoutMs: 120_000,
      quiet: true,
    });
    if (ready.code !== EXIT.ok) throw new OperationError(ready.message);
    const url = (await provider.snapshot('shop')).functions[0]?.url;
    if (url) {
      load = steadyLoad(url, 25);
      println(ctx, `shop is live at ${url} under a steady load of 25 requests/s`);
    }
    writeFileSync(
      join(appDir, 'message.txt'),
      `hello from shop, second edition (${new Date().toISOString()})\n`,
    );
    const second = await provider.deploy({ path: appDir }, { user, strategy: 'rolling' });
    if (!second.ok) throw new OperationError(second.message);
    const everyMs = Number(ctx.env.CUTOVER_DEMO_EVERY_MS ?? 40_000);
    println(
      ctx,
      `${second.message}: rolling out; ${everyMs > 0 ? `a new version every ${Math.round(everyMs / 1000)} s, some of them bad; ` : ''}opening the watch screen`,
    );
    story = tellStory(provider, appDir, user, Number.isFinite(everyMs) ? everyMs : 40_000);
    return await watch(demoCtx, values.plain ? ['shop', '--plain'] : ['shop'], appDir);
  } finally {
    story?.stop();
    load?.stop();
    provider.close();
    if (throwaway && home) {
      const client = await DaemonClient.connect(paths, {
        start: false,
        entry: ctx.entry,
        env: demoCtx.env,
      }).catch(() => null);
      const supervisor = lockHolder(paths);
      await client?.request('daemon.stop', { apps: true }).catch(() => undefined);
      client?.close();
      // The daemon drains, stops the app, and exits: only then is its directory free to go.
      for (let waited = 0; supervisor !== null && alive(supervisor) && waited < 15_000; waited += 50) {
        await new Promise((r) => setTimeout(r, 50));
      }
      rmSync(home, { recursive: true, force: true });
    }
  }
}
