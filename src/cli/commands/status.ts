// cutover status APP [--json]
import type { Snapshot } from '../../engine/snapshot.ts';
import { appOption, parse, requireApp } from '../args.ts';
import { type CliContext, connectProvider, targetOptions } from '../context.ts';
import { printJson, println, table } from '../output.ts';
import { EXIT } from '../usage-error.ts';
import { progressLine } from './rollout-progress.ts';

/** The --json shape of `status` (fields may be added, not renamed). */
export function statusJson(s: Snapshot) {
  return {
    app: s.app,
    appId: s.appId,
    status: s.status,
    version: s.version,
    rollout: s.rollout && {
      from: s.rollout.from,
      to: s.rollout.to,
      kind: s.rollout.kind,
      strategy: s.rollout.strategy,
      phase: s.rollout.phase,
      ready: s.rollout.ready,
      target: s.rollout.target,
      message: s.rollout.message ?? null,
    },
    paused: s.paused ?? false,
    rollbackTarget: s.rollbackTarget ?? null,
    functions: s.functions.map((f) => ({ name: f.name, url: f.url, target: f.target })),
    containers: s.containers.map((c) => ({
      id: c.id,
      function: c.function,
      version: c.version,
      state: c.state,
      reason: c.reason ?? null,
      restarts: c.restarts ?? null,
    })),
    inputs: {
      queued: s.inputs.queued,
      inFlight: s.inputs.inFlight,
      done: s.inputs.done,
      failed: s.inputs.failed,
      cancelled: s.inputs.cancelled ?? null,
    },
    // Why inputs are null or partial, where the platform says (Modal: no Python with the SDK).
    inputsNote: s.inputsNote ?? null,
    failed: s.failed,
  };
}

export async function status(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'status',
    argv,
    { json: { type: 'boolean', default: false }, ...appOption, ...targetOptions },
    1,
  );
  const app = requireApp('status', positionals[0]);
  const provider = await connectProvider(ctx, values);
  try {
    const s = await provider.snapshot(app);
    if (values.json) {
      printJson(ctx, statusJson(s));
      return EXIT.ok;
    }
    println(ctx, `${s.appId}  ${s.status}  ${s.rollout ? progressLine(s) : `v${s.version ?? '-'}`}`);
    if (s.failed) println(ctx, `last rollout failed: v${s.failed.version}: ${s.failed.reason}`);
    for (const f of s.functions)
      println(ctx, `function ${f.name}: ${f.target} containers, ${f.url ?? 'no url'}`);
    if (s.containers.length > 0) {
      println(ctx);
      println(
        ctx,
        table([
          ['CONTAINER', 'FUNCTION', 'VERSION', 'STATE', 'RESTARTS', 'IN FLIGHT', 'REASON'],
          ...s.containers.map((c) => [
            c.id,
            c.function,
            `v${c.version}`,
            c.state,
            String(c.restarts ?? '-'),
            String(c.inFlight ?? '-'),
            c.reason ?? '',
          ]),
        ]),
      );
    }
    println(ctx);
    const i = s.inputs;
    const n = (x: number | null) => (x === null ? 'not reported' : String(x));
    if (i.queued === null && i.inFlight === null && i.done === null && i.failed === null) {
      const why = s.inputsNote?.replace(/^not reported:\s*/, '');
      println(ctx, `inputs: not reported${why ? ` (${why})` : ''}`);
    } else {
      println(
        ctx,
        `inputs: ${n(i.queued)} queued, ${n(i.inFlight)} in flight, ${n(i.done)} done, ${n(i.failed)} failed`,
      );
    }
    return EXIT.ok;
  } finally {
    provider.close();
  }
}
