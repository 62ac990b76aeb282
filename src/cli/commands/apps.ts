// cutover apps [--json]
import { parse } from '../args.ts';
import { type CliContext, connectProvider, targetOptions } from '../context.ts';
import { printJson, println, table } from '../output.ts';
import { EXIT } from '../usage-error.ts';

export async function apps(ctx: CliContext, argv: string[]): Promise<number> {
  const { values } = parse('apps', argv, { json: { type: 'boolean', default: false }, ...targetOptions }, 0);
  const provider = await connectProvider(ctx, values);
  try {
    const listing = await provider.apps();
    if (values.json) {
      printJson(
        ctx,
        listing.map((a) => ({ app: a.app, appId: a.appId, status: a.status, version: a.version })),
      );
    } else if (listing.length === 0) {
      println(ctx, 'no apps yet: cutover deploy DIR');
    } else {
      println(
        ctx,
        table([
          ['APP', 'STATUS', 'VERSION'],
          ...listing.map((a) => [a.appId, a.status, a.version === null ? '-' : `v${a.version}`]),
        ]),
      );
    }
    return EXIT.ok;
  } finally {
    provider.close();
  }
}
