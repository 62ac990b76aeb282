// Recorded shapes of Modal apps for the tests: `shop` with a few versions and running containers,
// in a client whose --json keys are snake_case (1.5+) or column names (before 1.5.0).
import type { FakeApp, FakeWorld } from './fake-modal.ts';

export interface ShopOptions {
  /** Default 1.5.4 (snake_case keys); `1.4.3` prints column names and has no rollback --strategy. */
  client?: string;
  versions?: number;
  containers?: number;
  load?: number;
  python?: FakeWorld['python'];
  timing?: Partial<FakeWorld['timing']>;
}

export function shopApp(o: ShopOptions = {}): FakeApp {
  const t = Date.now() / 1000;
  const versions = o.versions ?? 3;
  const client = o.client ?? '1.5.4';
  return {
    appId: 'ap-SHOP0000000000000000001',
    name: 'shop',
    state: 'deployed',
    createdAt: t - 86_400,
    stoppedAt: null,
    functions: ['web'],
    urls: { web: 'https://acme--shop-web.modal.run' },
    load: o.load ?? 6,
    concurrency: 4,
    history: Array.from({ length: versions }, (_, i) => ({
      version: i + 1,
      // v1 a day ago … the live version ten minutes ago.
      deployedAt: t - 600 - (versions - 1 - i) * 3600,
      client,
      deployedBy: 'alice@acme',
      commit: i === versions - 1 ? 'abc1234*' : `c0ffee${i}`,
      tag: null,
      type: 'deploy',
    })),
    containers: Array.from({ length: o.containers ?? 2 }, (_, i) => ({
      id: `ta-01SHOPOLD${i}`,
      enqueuedAt: t - 500,
      startAt: t - 500 + i,
      stopAt: null,
    })),
  };
}

export function shopWorld(o: ShopOptions = {}): FakeWorld {
  return {
    client: o.client ?? '1.5.4',
    environment: 'main',
    workspace: 'acme',
    deployedBy: 'alice@acme',
    python: o.python ?? 'modal',
    timing: { buildMs: 200, startMs: 2500, stopMs: 1500, drainMs: 1000, ...o.timing },
    apps: [shopApp(o)],
    files: {
      'shop.py': {
        app: 'shop',
        outcome: 'change',
        functions: ['web'],
        urls: { web: 'https://acme--shop-web.modal.run' },
      },
      'same.py': {
        app: 'shop',
        outcome: 'noop',
        functions: ['web'],
        urls: { web: 'https://acme--shop-web.modal.run' },
      },
      'broken.py': { app: 'shop', outcome: 'build-failed', functions: ['web'] },
    },
  };
}
