// cutover targets [--json] — the named targets of $XDG_CONFIG_HOME/cutover/config.toml, and which
// one $CUTOVER_TARGET picks.
import { parse } from '../args.ts';
import type { CliContext } from '../context.ts';
import { printJson, println, table } from '../output.ts';
import { configFile, loadTargets } from '../targets.ts';
import { EXIT } from '../usage-error.ts';

export async function targets(ctx: CliContext, argv: string[]): Promise<number> {
  const { values } = parse('targets', argv, { json: { type: 'boolean', default: false } }, 0);
  const list = loadTargets(ctx.env);
  const chosen = ctx.env.CUTOVER_TARGET || null;
  if (values.json) {
    printJson(ctx, {
      file: configFile(ctx.env),
      current: chosen,
      targets: list.map((t) => ({ ...t, current: t.name === chosen })),
    });
    return EXIT.ok;
  }
  if (list.length === 0) {
    println(ctx, `no targets in ${configFile(ctx.env)}; the local platform is used. Add one like:`);
    println(ctx, '  [targets.prod]\n  platform = "kubernetes"\n  context = "prod-eu"\n  namespace = "shop"');
    return EXIT.ok;
  }
  const where = (t: (typeof list)[number]) =>
    [t.context, t.namespace, t.kubeconfig, t.org, t.environment].filter(Boolean).join(' ') || '-';
  println(
    ctx,
    table([
      ['CURRENT', 'NAME', 'PLATFORM', 'WHERE', 'READONLY'],
      ...list.map((t) => [
        t.name === chosen ? '*' : '',
        t.name ?? '',
        t.platform,
        where(t),
        t.readonly ? 'yes' : '',
      ]),
    ]),
  );
  return EXIT.ok;
}
