// Shared test data for the store tests: a temporary state directory and domain values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FUNCTION_DEFAULTS } from '../../../src/engine/function-defaults.ts';
import type { AppEvent, AppRecord, MetricSample, Spec, Version } from '../../../src/engine/types.ts';

/** A fresh directory under the OS temp dir; `remove` deletes it with everything inside. */
export function temporaryDirectory(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-store-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function makeApp(name: string, overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    id: name,
    name,
    generation: 1,
    status: 'deployed',
    createdAt: 1_700_000_000_000,
    stoppedAt: null,
    ...overrides,
  };
}

export function makeSpec(image: string, overrides: Partial<Spec> = {}): Spec {
  return {
    functions: [
      {
        name: 'web',
        command: 'node server.js',
        port: 0,
        containers: 3,
        concurrency: 8,
        ready: '/healthz',
        drainTimeoutMs: 30_000,
        startTimeoutMs: 60_000,
        maxSurge: 1,
        ...FUNCTION_DEFAULTS,
      },
      {
        name: 'worker',
        command: ['node', 'worker.js', '--queue', 'émails'],
        port: 0,
        containers: 1,
        concurrency: 1,
        ready: 'port',
        drainTimeoutMs: 5_000,
        startTimeoutMs: 10_000,
        maxSurge: 1,
        ...FUNCTION_DEFAULTS,
      },
    ],
    env: { GREETING: 'hello', QUOTED: 'a "b" \\ c' },
    image,
    build: 'npm run build',
    secrets: ['STRIPE_KEY'],
    strategy: 'rolling',
    autoRollback: false,
    ...overrides,
  };
}

export function makeVersion(number: number, overrides: Partial<Version> = {}): Version {
  return {
    number,
    kind: 'deploy',
    strategy: 'rolling',
    user: 'ana',
    createdAt: 1_700_000_000_000 + number * 1000,
    spec: makeSpec(`sha256:${number}`),
    specHash: `hash-${number}`,
    rollbackOf: null,
    templateEpoch: number,
    secretFingerprints: { STRIPE_KEY: `fp-${number}` },
    outcome: 'superseded',
    activatedAt: 1_700_000_000_500 + number * 1000,
    ...overrides,
  };
}

export function makeEvent(appId: string, at: number, overrides: Partial<AppEvent> = {}): AppEvent {
  return { at, appId, level: 'info', kind: 'container-ready', message: `event at ${at}`, ...overrides };
}

export function makeSample(appId: string, at: number, overrides: Partial<MetricSample> = {}): MetricSample {
  return {
    appId,
    at,
    containers: { '1': { ready: 2, draining: 1 }, '2': { starting: 1 } },
    queued: 3,
    inFlight: 4,
    done: 10,
    failed: 0,
    p50: 12.5,
    p95: 40,
    p99: null,
    ...overrides,
  };
}
