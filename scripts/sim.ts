// npm run sim -- --seeds N | --seed S [--verbose]: the engine under seeded random simulation.
import { parseArgs } from 'node:util';
import { simulate } from '../src/sim/simulation.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '100' },
    seed: { type: 'string' },
    from: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
  },
});

function integer(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`sim: --${name} must be a whole number, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return n;
}

const seeds =
  values.seed !== undefined
    ? [integer('seed', values.seed)]
    : Array.from({ length: integer('seeds', values.seeds) }, (_, i) => integer('from', values.from) + i);

const started = performance.now();
let steps = 0;
let inputs = 0;
let violations = 0;
for (const seed of seeds) {
  const result = simulate({ seed, verbose: values.verbose });
  steps += result.steps;
  inputs += result.inputs;
  if (values.verbose) process.stdout.write(`${result.trace.join('\n')}\n`);
  if (result.violation) {
    violations++;
    const v = result.violation;
    process.stdout.write(`\nVIOLATION of ${v.rule} at seed ${seed}, step ${v.step}: ${v.message}\n`);
    process.stdout.write(`last steps:\n  ${result.trace.slice(-30).join('\n  ')}\n`);
    process.stdout.write(`replay: npm run sim -- --seed ${seed} --verbose\n`);
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `seeds ${seeds.length} (${seeds[0]}…${seeds.at(-1)}) · steps ${steps} · inputs ${inputs} · ${Math.round(steps / seconds)} steps/s · ${seconds.toFixed(1)}s · violations ${violations}\n`,
);
// exitCode, not exit(): a verbose trace piped to another program must be written in full first.
process.exitCode = violations === 0 ? 0 : 1;
