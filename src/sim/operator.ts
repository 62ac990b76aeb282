// The simulated operators: what they ask of the engine at any moment (deploys of new and
// unchanged specs, rollovers, rollbacks, sometimes two at once, stops, pauses and resumes), and
// which new images turn out bad.
import { specHash } from '../engine/spec-hash.ts';
import type { FunctionSpec, Spec, Strategy } from '../engine/types.ts';
import type { Behaviour } from './effect-checks.ts';
import { checkSimultaneousRollbacks } from './effect-checks.ts';
import { APP, type SimLoop, type Unstamped } from './loop.ts';
import type { Violation } from './violation.ts';

export class Operator {
  private requestCount = 0;
  private images = 0;

  constructor(
    private readonly loop: SimLoop,
    /** How each image's containers behave, decided when the image is made. */
    private readonly behaviours: Map<string, Behaviour>,
  ) {}

  /** An operator does something: mostly deploys and rollbacks, sometimes twice at once. */
  operate(): Violation | null {
    const { rng, tracker, world } = this.loop;
    const appId = world.latestByName.get(APP);
    const app = appId === undefined ? null : world.apps.get(appId)!;
    const latest = app?.versions.at(-1)?.spec ?? null;
    const strategy: Strategy | undefined = rng.chance(0.5) ? undefined : rng.pick(['rolling', 'recreate']);
    const user = rng.pick(['alice', 'bob', 'carol']);
    const request = () => this.requestId();
    const roll = rng.next();
    let events: Array<Unstamped>;
    if (!app || app.record.status === 'stopped' || roll < 0.35) {
      events = [
        {
          type: 'deploy',
          app: APP,
          requestId: request(),
          user,
          spec: this.newSpec(latest),
          strategy,
          secretFingerprints: {},
        },
      ];
    } else if (roll < 0.42 && latest) {
      const desired = app.versions[(app.rollout?.to ?? app.current ?? app.versions.length) - 1]!.spec;
      tracker.expectNoop(specHash(desired));
      events = [
        { type: 'deploy', app: APP, requestId: request(), user, spec: desired, secretFingerprints: {} },
      ];
    } else if (roll < 0.55) {
      events = [{ type: 'rollover', app: APP, requestId: request(), user, strategy, secretFingerprints: {} }];
    } else if (roll < 0.8) {
      const to = rng.chance(0.5) ? undefined : rng.int(1, app.versions.length + 1);
      const rollback = { type: 'rollback' as const, app: APP, user, strategy, to, secretFingerprints: {} };
      // Two operators pressing rollback at the same moment: one version at most (C1).
      if (rng.chance(0.3)) {
        const versionsBefore = app.versions.length;
        for (const who of [user, 'dave']) {
          const violation = this.loop.send({ ...rollback, requestId: request(), user: who });
          if (violation) return violation;
        }
        return checkSimultaneousRollbacks(
          versionsBefore,
          this.loop.world.apps.get(app.record.id)!.versions.length,
        );
      }
      events = [{ ...rollback, requestId: request() }];
    } else if (roll < 0.86) {
      events = [{ type: 'stop', app: APP, requestId: request(), user }];
    } else if (roll < 0.94 && app.rollout) {
      // P1: pause the rollout in progress; the same operator resumes it a little later.
      events = [{ type: 'pause', app: APP, requestId: request(), user }];
      this.loop.schedule(this.loop.now + rng.int(1_000, 20_000), { kind: 'resume' });
    } else {
      events = [
        {
          type: 'deploy',
          app: APP,
          requestId: request(),
          user,
          spec: this.newSpec(latest),
          strategy,
          secretFingerprints: {},
        },
      ];
    }
    for (const event of events) {
      const violation = this.loop.send(event);
      if (violation) return violation;
    }
    return null;
  }

  /** P1: the operator who paused a rollout resumes it. */
  resume(): Violation | null {
    return this.loop.send({ type: 'resume', app: APP, requestId: this.requestId(), user: 'alice' });
  }

  private requestId(): string {
    return `r${++this.requestCount}`;
  }

  private newSpec(base: Spec | null): Spec {
    const rng = this.loop.rng;
    const image = `sha256:${String(++this.images).padStart(64, '0')}`;
    const roll = rng.next();
    this.behaviours.set(
      image,
      roll < 0.1 ? 'crash-loop' : roll < 0.17 ? 'never-ready' : roll < 0.24 ? 'crash-after-ready' : 'good',
    );
    const fn = (name: string): FunctionSpec => ({
      name,
      command: `node ${name}.js`,
      port: 0,
      containers: rng.int(1, 4),
      concurrency: rng.int(1, 6),
      ready: '/healthz',
      drainTimeoutMs: rng.int(1_000, 10_000),
      startTimeoutMs: 8_000,
      maxSurge: rng.int(1, 2),
      retry: rng.pick(['idempotent', 'idempotent', 'unsent', 'never'] as const),
      maxQueue: rng.pick([3, 50, 1000]),
      queueTimeoutMs: rng.int(2_000, 30_000),
      maxBodyBytes: 10 * 1024 * 1024,
      requestTimeoutMs: 60_000,
      probePeriodMs: 10_000,
      probeTimeoutMs: 1_000,
      probeFailures: 3,
      // Long enough that a crash-after-ready version always crashes inside it.
      minReadyMs: rng.int(1_000, 3_000),
    });
    const functions = rng.chance(0.3) ? [fn('web'), fn('worker')] : [fn('web')];
    return {
      functions,
      env: { RELEASE: String(this.images) },
      image,
      build: null,
      secrets: [],
      strategy: rng.chance(0.3) ? 'recreate' : 'rolling',
      autoRollback: base ? rng.chance(0.5) : false,
    };
  }
}
