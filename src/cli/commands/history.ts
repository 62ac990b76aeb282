// cutover history APP [--limit N] [--json]
import { appOption, parse, positiveInteger, requireApp } from '../args.ts';
import { type CliContext, connectProvider, targetOptions } from '../context.ts';
import { ago, printJson, println, table } from '../output.ts';
import { EXIT } from '../usage-error.ts';

export async function history(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'history',
    argv,
    {
      limit: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      ...appOption,
      ...targetOptions,
    },
    1,
  );
  const app = requireApp('history', positionals[0]);
  const limit = positiveInteger('history', '--limit', values.limit);
  const provider = await connectProvider(ctx, values);
  try {
    const versions = await provider.history(app, limit);
    if (values.json) {
      printJson(
        ctx,
        versions.map((v) => ({
          version: v.version,
          kind: v.kind,
          strategy: v.strategy,
          user: v.user,
          createdAt: new Date(v.createdAt).toISOString(),
          outcome: v.outcome,
          rollbackOf: v.rollbackOf,
          image: v.image,
          specHash: v.specHash,
          // What the platform says of it besides (Modal: client, commit, tag), where it says anything.
          ...(v.description ? { description: v.description } : {}),
        })),
      );
      return EXIT.ok;
    }
    const now = Date.now();
    println(
      ctx,
      table([
        ['VERSION', 'KIND', 'STRATEGY', 'USER', 'AGE', 'OUTCOME', 'ROLLBACK OF', 'IMAGE'],
        ...versions.map((v) => [
          `v${v.version}`,
          v.kind,
          v.strategy,
          v.user,
          ago(v.createdAt, now),
          v.outcome,
          v.rollbackOf === null ? '' : `v${v.rollbackOf}`,
          // A local image is a content address (sha256:…): its first 12 hex digits; others as they are.
          v.image.startsWith('sha256:') ? v.image.slice(7, 19) : v.image,
        ]),
      ]),
    );
    return EXIT.ok;
  } finally {
    provider.close();
  }
}
