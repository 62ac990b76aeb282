// cutover wait APP [--timeout 60s] [--auto-rollback] [--json] — like `kubectl rollout status`:
// exit 0 once the app's newest rollout is active, 1 when it failed, the app is stopped, or time
// runs out. With --auto-rollback a failed rollout is rolled back (H1), and wait says so.
import { appOption, durationOption, parse, requireApp } from '../args.ts';
import {
  type CliContext,
  changingTarget,
  connectProvider,
  openProvider,
  targetOptions,
  userOf,
} from '../context.ts';
import { printJson, println } from '../output.ts';
import { EXIT } from '../usage-error.ts';
import { progressLine, waitForVersion } from './rollout-progress.ts';

export async function wait(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'wait',
    argv,
    {
      timeout: { type: 'string', default: '60s' },
      'auto-rollback': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...appOption,
      ...targetOptions,
    },
    1,
  );
  const app = requireApp('wait', positionals[0]);
  const timeoutMs = durationOption('wait', '--timeout', values.timeout);
  const autoRollback = values['auto-rollback'];
  // An auto-rollback changes the app: a read-only target refuses it up front.
  const provider = autoRollback
    ? await openProvider(ctx, changingTarget(ctx, 'wait', values))
    : await connectProvider(ctx, values);
  const report = (code: number, result: Record<string, unknown>, message: string) => {
    if (values.json) printJson(ctx, { app, ...result, message });
    else println(ctx, message);
    return code;
  };
  try {
    const snapshot = await provider.snapshot(app);
    if (snapshot.status === 'stopped')
      return report(EXIT.failed, { outcome: 'stopped' }, `${app} is stopped`);
    const newest = snapshot.rollout?.to ?? snapshot.history[0]?.version;
    if (newest === undefined) return report(EXIT.failed, { outcome: 'none' }, `${app} has no version`);
    if (snapshot.rollout && !values.json) println(ctx, progressLine(snapshot));
    const end = await waitForVersion(ctx, provider, app, newest, { timeoutMs, quiet: values.json });
    const outcome = end.code === EXIT.ok ? 'active' : 'failed';
    if (end.code === EXIT.ok || !autoRollback || !end.rollbackable) {
      return report(end.code, { version: newest, outcome }, end.message);
    }
    // H1: the new version failed; roll back to the engine's default target, and say so.
    if (!values.json) println(ctx, end.message);
    const reply = await provider.rollback(app, undefined, { user: userOf(ctx) });
    if (!reply.ok) {
      return report(
        EXIT.failed,
        { version: newest, outcome, autoRollback: null },
        `auto-rollback refused: ${reply.message}`,
      );
    }
    return report(
      EXIT.failed,
      { version: newest, outcome, autoRollback: { version: reply.version, rollbackOf: reply.rollbackOf } },
      `auto-rollback: ${reply.message}`,
    );
  } finally {
    provider.close();
  }
}
