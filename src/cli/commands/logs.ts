// cutover logs APP [--container ID] [-f] [--tail N] [--json] — the output of the app's
// containers through its Provider, each line prefixed with the container it came from.
import { appOption, parse, positiveInteger, requireApp } from '../args.ts';
import { type CliContext, connectProvider, targetOptions } from '../context.ts';
import { EXIT } from '../usage-error.ts';

export async function logs(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'logs',
    argv,
    {
      container: { type: 'string' },
      follow: { type: 'boolean', short: 'f', default: false },
      tail: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...appOption,
      ...targetOptions,
    },
    1,
  );
  const app = requireApp('logs', positionals[0]);
  const tail = values.tail === undefined ? undefined : positiveInteger('logs', '--tail', values.tail);
  const provider = await connectProvider(ctx, values);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  try {
    const lines = provider.logs(app, {
      follow: values.follow,
      signal: stop.signal,
      ...(values.container === undefined ? {} : { container: values.container }),
      ...(tail === undefined ? {} : { tail }),
    });
    const spoke = new Set<string>();
    for await (const line of lines) {
      spoke.add(line.container);
      ctx.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `[${line.container}] ${line.text}\n`);
    }
    // Say which containers had nothing to show, and which crashed (their output is above).
    if (!values.json) {
      const snapshot = await provider.snapshot(app).catch(() => null);
      for (const c of snapshot?.containers ?? []) {
        if (values.container !== undefined && c.id !== values.container) continue;
        if (c.state === 'failed') {
          ctx.stderr.write(
            `${c.id} crashed (${c.reason ?? 'failed'})${spoke.has(c.id) ? '' : '; it wrote nothing'}\n`,
          );
        } else if (!spoke.has(c.id)) ctx.stderr.write(`${c.id} has no output yet\n`);
      }
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    provider.close();
  }
}
