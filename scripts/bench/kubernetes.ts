// The Kubernetes provider against the fake API server (test/fakes/kubernetes): how long a
// Deployment change takes to reach the screen's Snapshot, against a raw watch of the same change
// (the baseline), and what watching 50 Deployments × 10 pods costs while nothing changes,
// against the same process watching nothing.
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { openKubernetes } from '../../src/providers/kubernetes/index.ts';
import { type FakeKube, startFakeKube } from '../../test/fakes/kubernetes/index.ts';
import { ROOT } from './platform.ts';
import type { Metric } from './report.ts';

const NS = 'shop-ns';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? Number.NaN;

/** A raw watch of the Deployment (no client library): resolves `until` when a line matches. */
function rawWatch(fake: FakeKube) {
  const waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];
  const req = request(
    `${fake.url}/apis/apps/v1/namespaces/${NS}/deployments?watch=true&fieldSelector=metadata.name%3Dshop`,
    { ca: fake.ca ?? undefined, headers: { Authorization: `Bearer ${fake.token}` } },
    (res) => {
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          for (const w of [...waiters]) {
            if (!w.test(line)) continue;
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      });
    },
  );
  req.end();
  return {
    until: (test: (line: string) => boolean) =>
      new Promise<void>((resolve) => waiters.push({ test, resolve })),
    close: () => req.destroy(),
  };
}

/** PATCH spec.paused as kubectl rollout pause does (strategic merge), over the fake's own TLS. */
function setPaused(fake: FakeKube, paused: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${fake.url}/apis/apps/v1/namespaces/${NS}/deployments/shop`,
      {
        method: 'PATCH',
        ca: fake.ca ?? undefined,
        headers: {
          Authorization: `Bearer ${fake.token}`,
          'Content-Type': 'application/strategic-merge-patch+json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`PATCH: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.end(JSON.stringify({ spec: { paused } }));
  });
}

/**
 * A pause toggled on the Deployment (one field the screen shows): the time until the provider's
 * Snapshot says it, against the time until a raw watch line of the same change arrives.
 */
async function latency(rounds: number): Promise<Metric[]> {
  const fake = await startFakeKube();
  try {
    fake.cluster.createDeployment({ name: 'shop', replicas: 3, image: 'shop:1' });
    await fake.cluster.rolledOut(NS, 'shop');
    const provider = await openKubernetes({
      env: { KUBECONFIG: fake.kubeconfig },
      stateDir: '/nonexistent',
      name: null,
    });
    let wanted: boolean | null = null;
    let seen: (() => void) | null = null;
    const stop = provider.watch('shop', {
      snapshot: (s) => {
        if (wanted !== null && s.paused === wanted) seen?.();
      },
      error: () => undefined,
    });
    const raw = rawWatch(fake);
    await new Promise((r) => setTimeout(r, 1000));
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      const paused = i % 2 === 1;
      wanted = paused;
      const t0 = performance.now();
      const rawSeen = raw
        .until((line) => line.includes('"MODIFIED"') && line.includes(`"paused":${paused}`))
        .then(() => theirs.push(performance.now() - t0));
      const providerSeen = new Promise<void>((resolve) => {
        seen = resolve;
      }).then(() => ours.push(performance.now() - t0));
      await setPaused(fake, paused);
      await Promise.all([rawSeen, providerSeen]);
      await new Promise((r) => setTimeout(r, 100));
    }
    stop();
    raw.close();
    provider.close();
    const frameMs = 100;
    return [
      {
        id: 'kubernetes.change-to-snapshot',
        metric: { name: 'Kubernetes: change → snapshot (p50)', value: median(ours), unit: 'ms' },
        baseline: { name: 'raw watch line', value: median(theirs), unit: 'ms' },
        ratio: median(ours) / median(theirs),
        goal: null,
        runs: ours.map((v, i) => v / (theirs[i] ?? v)),
        detail: { oursMs: ours, rawMs: theirs },
      },
      {
        id: 'kubernetes.change-within-a-frame',
        metric: { name: 'Kubernetes: change → snapshot (p95)', value: p95(ours), unit: 'ms' },
        baseline: { name: 'one frame interval', value: frameMs, unit: 'ms' },
        ratio: p95(ours) / frameMs,
        goal: { op: '<=', value: 1 },
        runs: ours.map((v) => v / frameMs),
      },
    ];
  } finally {
    await fake.close();
  }
}

interface Sample {
  cpuMs: number;
  rssMb: number;
  heapMb: number;
  snapshots: number;
}

function watcher(kubeconfig: string, args: string[]): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(ROOT, 'scripts/bench/kube-watcher.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, KUBECONFIG: kubeconfig },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('exit', (code) =>
      code === 0
        ? resolve(
            out
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as Sample),
          )
        : reject(new Error(`kube-watcher exited ${code}`)),
    );
  });
}

async function idleCost(apps: number, pods: number, windowMs: number): Promise<Metric[]> {
  const fake = await startFakeKube();
  try {
    for (let i = 0; i < apps; i++)
      fake.cluster.createDeployment({ name: `app-${i}`, replicas: pods, image: `app-${i}:1` });
    for (let i = 0; i < apps; i++) await fake.cluster.rolledOut(NS, `app-${i}`, 60_000);
    const windows = ['--windows', '4', '--windowMs', String(windowMs)];
    const busy = await watcher(fake.kubeconfig, ['--apps', String(apps), ...windows]);
    const idle = await watcher(fake.kubeconfig, ['--idle', ...windows]);
    const core = (s: Sample) => (s.cpuMs / windowMs) * 100;
    const busyCpu = median(busy.map(core));
    const idleCpu = median(idle.map(core));
    const rss = busy.map((s) => s.heapMb);
    return [
      {
        id: 'kubernetes.idle-cpu',
        metric: { name: `Kubernetes: watching ${apps}×${pods} pods, CPU`, value: busyCpu, unit: '% core' },
        baseline: { name: 'same process, no watch', value: idleCpu, unit: '% core' },
        ratio: busyCpu,
        goal: { op: '<=', value: 1 },
        runs: busy.map(core),
        detail: {
          idle: idle.map(core),
          note: 'ratio column: % of one core while nothing changes (goal < 1%)',
        },
      },
      {
        id: 'kubernetes.heap-flat',
        metric: {
          name: `Kubernetes: watching ${apps}×${pods} pods, heap last window`,
          value: rss.at(-1) ?? 0,
          unit: 'MiB',
        },
        baseline: { name: 'first window', value: rss[0] ?? 0, unit: 'MiB' },
        ratio: (rss.at(-1) ?? 0) / (rss[0] ?? 1),
        goal: { op: '<=', value: 1.1 },
        runs: rss,
        detail: {
          rssMb: busy.map((s) => s.rssMb),
          idleRssMb: idle.map((s) => s.rssMb),
          snapshots: busy.map((s) => s.snapshots),
        },
      },
    ];
  } finally {
    await fake.close();
  }
}

export async function kubernetesBench(options: {
  rounds: number;
  apps: number;
  pods: number;
  windowMs: number;
}): Promise<Metric[]> {
  return [
    ...(await latency(options.rounds)),
    ...(await idleCost(options.apps, options.pods, options.windowMs)),
  ];
}
