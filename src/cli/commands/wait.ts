// cutover wait APP [--timeout 60s] — like `kubectl rollout status`: exit 0 once the app's
// newest rollout is active, 1 when it failed, the app is stopped, or time runs out.
import { durationOption, parse, requireApp } from '../args.ts';
import { type CliContext, connectProvider } from '../context.ts';
import { println } from '../output.ts';
import { EXIT } from '../usage-error.ts';
import { progressLine, waitForVersion } from './rollout-progress.ts';

export async function wait(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse('wait', argv, { timeout: { type: 'string', default: '60s' } }, 1);
  const app = requireApp('wait', positionals[0]);
  const timeoutMs = durationOption('wait', '--timeout', values.timeout);
  const provider = await connectProvider(ctx);
  try {
    const snapshot = await provider.snapshot(app);
    if (snapshot.status === 'stopped') {
      println(ctx, `${app} is stopped`);
      return EXIT.failed;
    }
    const newest = snapshot.rollout?.to ?? snapshot.history[0]?.version;
    if (newest === undefined) {
      println(ctx, `${app} has no version`);
      return EXIT.failed;
    }
    if (snapshot.rollout) println(ctx, progressLine(snapshot));
    const end = await waitForVersion(ctx, provider, app, newest, { timeoutMs, quiet: false });
    println(ctx, end.message);
    return end.code;
  } finally {
    provider.close();
  }
}
