// The engine's cost per input must not grow with the queue (issue: an input's arrival, routing
// and completion cost O(1), not a copy of the state). Measured as a ratio in one run: the time
// per input at a queue depth of 100,000 divided by the time per input with nothing queued.
import { FUNCTION_DEFAULTS } from '../../src/engine/function-defaults.ts';
import { step } from '../../src/engine/step.ts';
import type { Spec } from '../../src/engine/types.ts';
import { createWorld, type World } from '../../src/engine/world.ts';
import type { Metric } from './report.ts';

const spec: Spec = {
  functions: [
    {
      name: 'web',
      command: 'x',
      port: 0,
      containers: 3,
      concurrency: 2,
      ready: 'port',
      drainTimeoutMs: 30_000,
      startTimeoutMs: 60_000,
      maxSurge: 1,
      // The queue is deep on purpose here: Q1's bound must not refuse what is measured.
      ...FUNCTION_DEFAULTS,
      maxQueue: 1_000_000,
      queueTimeoutMs: 3_600_000,
      minReadyMs: 0,
    },
  ],
  env: {},
  image: `sha256:${'a'.repeat(64)}`,
  build: null,
  secrets: [],
  strategy: 'rolling',
  autoRollback: false,
};

/** An app at its target: three ready containers with two slots each. */
function deployed(): { world: World; at: () => number } {
  const world = createWorld();
  let now = 0;
  const at = () => ++now;
  const deploy = step(world, {
    type: 'deploy',
    at: at(),
    requestId: 'r',
    app: 'shop',
    user: 'bench',
    spec,
    secretFingerprints: {},
  });
  const build = deploy.effects.find((e) => e.type === 'build-image');
  if (build?.type !== 'build-image') throw new Error('no build');
  const started = step(world, { type: 'build-finished', at: at(), buildId: build.buildId }).effects;
  for (const e of started)
    if (e.type === 'start-container')
      step(world, { type: 'container-ready', at: at(), containerId: e.container.id });
  return { world, at };
}

/** Nanoseconds per input (one arrival plus one completion) with `depth` inputs queued. */
function perInput(depth: number, inputs: number): number {
  const { world, at } = deployed();
  let n = 0;
  const routed: Array<{ inputId: string; containerId: string }> = [];
  const arrive = () => {
    for (const e of step(world, {
      type: 'input-arrived',
      at: at(),
      inputId: `i${n++}`,
      appId: 'shop',
      function: 'web',
      method: 'GET',
    }).effects) {
      if (e.type === 'route') routed.push(e);
    }
  };
  for (let i = 0; i < 6 + depth; i++) arrive(); // fill the six slots, then the queue
  const started = process.hrtime.bigint();
  for (let i = 0; i < inputs; i++) {
    const done = routed.shift()!;
    for (const e of step(world, { type: 'input-finished', at: at(), ...done }).effects) {
      if (e.type === 'route') routed.push(e);
    }
    arrive();
  }
  return Number(process.hrtime.bigint() - started) / inputs;
}

export interface EngineBench {
  nsPerInputEmpty: number;
  nsPerInputDeep: number;
  depth: number;
  ratio: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(runs: number, inputs: number, depth: number): { empty: number[]; deep: number[] } {
  perInput(0, inputs); // warm up the JIT
  const empty: number[] = [];
  const deep: number[] = [];
  for (let r = 0; r < runs; r++) {
    empty.push(perInput(0, inputs));
    deep.push(perInput(depth, inputs));
  }
  return { empty, deep };
}

export function benchEngine(runs = 5, inputs = 200_000, depth = 100_000): EngineBench {
  const { empty, deep } = measure(runs, inputs, depth);
  const nsPerInputEmpty = median(empty);
  const nsPerInputDeep = median(deep);
  return { nsPerInputEmpty, nsPerInputDeep, depth, ratio: nsPerInputDeep / nsPerInputEmpty };
}

/** The engine's row in `npm run bench`: cost per input with 100,000 queued against none. */
export function engineBenchMetrics(runs: number, inputs = 200_000, depth = 100_000): Metric[] {
  const { empty, deep } = measure(runs, inputs, depth);
  return [
    {
      id: 'engine.input-cost',
      metric: { name: `engine ns per input, ${depth} queued`, value: median(deep), unit: 'ns' },
      baseline: { name: 'nothing queued', value: median(empty), unit: 'ns' },
      ratio: median(deep.map((d, i) => d / empty[i]!)),
      goal: { op: '<=', value: 1.5 },
      runs: deep.map((d, i) => d / empty[i]!),
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = benchEngine();
  console.log(
    `engine: ${r.nsPerInputEmpty.toFixed(0)} ns/input with an empty queue, ${r.nsPerInputDeep.toFixed(0)} ns/input with ${r.depth} queued: ratio ${r.ratio.toFixed(2)} (goal ≤ 1.5: O(1) per input)`,
  );
}
