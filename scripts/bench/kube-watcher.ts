// The Kubernetes provider watching N Deployments in a process of its own, so its CPU and memory
// are measured apart from the fake API server's. Prints one JSON line per sample window:
// {cpuMs, rssMb, heapMb, snapshots}. With --idle it loads the same code and watches nothing:
// the baseline.
import { parseArgs } from 'node:util';
import { openKubernetes } from '../../src/providers/kubernetes/index.ts';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '50' },
    windows: { type: 'string', default: '3' },
    windowMs: { type: 'string', default: '5000' },
    warmupMs: { type: 'string', default: '3000' },
    idle: { type: 'boolean', default: false },
  },
});
const provider = await openKubernetes({ env: process.env, stateDir: '/nonexistent', name: null });
let snapshots = 0;
const stops: (() => void)[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
if (!values.idle) {
  // Measured once every feed has listed and shown its first Snapshot: the steady state.
  const shown = new Set<number>();
  for (let i = 0; i < Number(values.apps); i++) {
    stops.push(
      provider.watch(`app-${i}`, {
        snapshot: () => {
          snapshots++;
          shown.add(i);
        },
        error: (e) => process.stderr.write(`${e.message}\n`),
      }),
    );
  }
  const deadline = Date.now() + 120_000;
  while (shown.size < Number(values.apps) && Date.now() < deadline) await sleep(100);
  if (shown.size < Number(values.apps))
    throw new Error(`only ${shown.size} feeds showed a snapshot in 120 s`);
}
await sleep(Number(values.warmupMs));
for (let w = 0; w < Number(values.windows); w++) {
  global.gc?.();
  const cpu = process.cpuUsage();
  const before = snapshots;
  await sleep(Number(values.windowMs));
  const used = process.cpuUsage(cpu);
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ cpuMs: (used.user + used.system) / 1000, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20, snapshots: snapshots - before })}\n`,
  );
}
for (const stop of stops) stop();
provider.close();
process.exit(0);
