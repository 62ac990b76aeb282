// The simulator: it finds nothing wrong with the real engine, and it does find planted bugs.
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/effects.ts';
import { restoreWorld } from '../../src/engine/restore.ts';
import { step } from '../../src/engine/step.ts';
import type { AppState } from '../../src/engine/world.ts';
import { checkSimultaneousRollbacks } from '../../src/sim/effect-checks.ts';
import { checkPaused, checkStep, InvariantTracker } from '../../src/sim/invariants.ts';
import { Simulation, simulate } from '../../src/sim/simulation.ts';
import { Driver, spec } from '../engine/driver.ts';

describe('simulation of the real engine', () => {
  it('keeps every invariant over 40 seeds (CI runs 300 more with npm run sim)', () => {
    for (let seed = 1000; seed < 1040; seed++) {
      const result = simulate({ seed, activeMs: 60_000 });
      expect(result.violation, `seed ${seed}`).toBeNull();
      expect(result.steps).toBeGreaterThan(1000);
    }
  });

  it('replays a seed exactly', () => {
    const a = simulate({ seed: 7, activeMs: 30_000, verbose: true });
    const b = simulate({ seed: 7, activeMs: 30_000, verbose: true });
    expect(b.trace).toEqual(a.trace);
    expect(b.steps).toBe(a.steps);
  });

  it('R1: a POST the engine is told is a GET, and so sends again after a cut, is reported', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const result = simulate({
        seed,
        activeMs: 60_000,
        tamperEvent: (event) => (event.type === 'input-arrived' ? { ...event, method: 'GET' } : event),
      });
      if (result.violation) {
        expect(result.violation).toMatchObject({ rule: 'R1' });
        expect(result.violation.message).toMatch(
          /^(POST|PATCH) in-\d+ sent to .* after an attempt that may have run it$/,
        );
        return;
      }
    }
    throw new Error('no seed ran a POST twice');
  });
});

describe('the invariant checks catch planted bugs', () => {
  const first = (seeds: number, tamper: (effects: Effect[]) => Effect[]) => {
    for (let seed = 1; seed <= seeds; seed++) {
      const result = simulate({ seed, activeMs: 30_000, tamper });
      if (result.violation) return result.violation;
    }
    return null;
  };

  it('an input answered by nobody (a dropped answer) is reported as lost', () => {
    const violation = first(5, (effects) => effects.filter((e) => e.type !== 'answer-error'));
    expect(violation).toMatchObject({ rule: 'exactly-once' });
    expect(violation?.seed).toBeGreaterThan(0);
  });

  it('an input routed twice at once is reported', () => {
    const violation = first(5, (effects) =>
      effects.flatMap((e): Effect[] => (e.type === 'route' ? [e, { ...e }] : [e])),
    );
    expect(violation).toMatchObject({ rule: 'exactly-once' });
  });

  it('a version number skipped is reported', () => {
    const violation = first(5, (effects) =>
      effects.map((e) =>
        e.type === 'record-version' && e.version.number === 2
          ? { ...e, version: { ...e.version, number: 3 } }
          : e,
      ),
    );
    expect(violation).toMatchObject({ rule: 'D1' });
  });

  it('S1: a rolling rollout that drains below the target is reported', () => {
    const d = new Driver();
    const tracker = new InvariantTracker();
    d.deploy(spec());
    d.readyAll();
    const before = tracker.beforeStep(d.world, 'shop');
    d.deploy(spec({ image: 'sha256:bb' }));
    expect(checkStep(d.world, tracker, 'shop', { type: 'tick', at: d.now }, before)).toBeNull();
    // Plant the bug: an old container stops taking inputs before any new one is ready.
    const victim = d.containers({ version: 1 })[0]!;
    victim.accepting = false;
    victim.state = 'draining';
    const next = tracker.beforeStep(d.world, 'shop');
    expect(checkStep(d.world, tracker, 'shop', { type: 'tick', at: d.now }, next)).toMatchObject({
      rule: 'S1',
    });
  });

  /** The first violation over these seeds (of `rule`, when given: a planted bug may break more). */
  const firstOf = (seeds: number, options: Partial<Parameters<typeof simulate>[0]>, rule?: string) => {
    for (let seed = 1; seed <= seeds; seed++) {
      const result = simulate({ seed, activeMs: 60_000, ...options });
      if (result.violation && (rule === undefined || result.violation.rule === rule)) return result.violation;
    }
    return null;
  };

  it('D2: a no-op deploy that is not answered as one is reported', () => {
    const violation = firstOf(10, {
      tamper: (effects) =>
        effects.map((e) =>
          e.type === 'reply' && e.reply.ok && e.reply.noop ? { ...e, reply: { ...e.reply, noop: false } } : e,
        ),
    });
    expect(violation).toMatchObject({ rule: 'D2' });
  });

  it('H1: a crash-looping version recorded as active is reported', () => {
    const violation = firstOf(10, {
      tamper: (effects) =>
        effects.map((e) =>
          e.type === 'record-version' && e.version.outcome === 'failed'
            ? { ...e, version: { ...e.version, outcome: 'active' as const } }
            : e,
        ),
    });
    expect(violation).toMatchObject({ rule: 'H1' });
  });

  it("B1: a rollback recorded with a spec other than its target's is reported", () => {
    const violation = firstOf(10, {
      tamper: (effects) =>
        effects.map((e) =>
          e.type === 'record-version' && e.version.kind === 'rollback'
            ? { ...e, version: { ...e.version, spec: { ...e.version.spec, env: { PLANTED: '1' } } } }
            : e,
        ),
    });
    expect(violation).toMatchObject({ rule: 'B1' });
  });

  it('C1: two simultaneous rollbacks that make two versions are reported', () => {
    // The planted bug: a rollback forgets the rollback already rolling out, so the second
    // press is not recognised as the same one.
    const violation = firstOf(
      60,
      {
        step: (world, event) => {
          if (event.type === 'rollback') {
            const app = world.apps.get(world.latestByName.get(event.app) ?? '');
            if (app?.rollout && app.versions[app.rollout.to - 1]?.kind === 'rollback') app.rollout = null;
          }
          return step(world, event);
        },
      },
      'C1',
    );
    expect(violation).toMatchObject({ rule: 'C1' });
    expect(checkSimultaneousRollbacks(4, 5)).toBeNull();
  });

  it('T1: queued inputs not answered "app stopped" at the stop are reported', () => {
    const violation = firstOf(10, {
      tamper: (effects) => effects.filter((e) => !(e.type === 'answer-error' && e.error === 'app-stopped')),
    });
    expect(violation).toMatchObject({ rule: 'T1' });
  });

  /** A step that forgets to emit `terminate` when `when` holds (its own state still says terminated). */
  const forgetsTerminate =
    (when: (app: AppState) => boolean): typeof step =>
    (world, event) => {
      const result = step(world, event);
      const app = world.apps.get(world.latestByName.get('shop') ?? '');
      if (app && when(app))
        return { ...result, effects: result.effects.filter((e) => e.type !== 'terminate') };
      return result;
    };

  it("T1: containers of a stopped app the effects never terminated are reported (not from the engine's map)", () => {
    const violation = firstOf(60, { step: forgetsTerminate((app) => app.record.status === 'stopped') });
    expect(violation).toMatchObject({ rule: 'T1' });
  });

  it("S2: old containers a recreate never terminated are reported (not from the engine's map)", () => {
    const violation = firstOf(20, { step: forgetsTerminate((app) => app.rollout?.strategy === 'recreate') });
    expect(violation).toMatchObject({ rule: 'S2' });
  });

  it('A1: a restarted daemon that reuses container ids (it lost its id counter) is reported', () => {
    const violation = firstOf(20, {
      restore: (records, at, _sequence, options, adopted) => restoreWorld(records, at, 0, options, adopted),
    });
    expect(violation).toMatchObject({ rule: 'A1' });
  });

  it('D1: a restarted daemon that reuses a version number (its records lost the newest) is reported', () => {
    const violation = firstOf(40, {
      restore: (records, at, sequence, options, adopted) =>
        restoreWorld(
          records.map((r) => ({
            ...r,
            versions: r.versions.length > 1 ? r.versions.slice(0, -1) : r.versions,
          })),
          at,
          sequence,
          options,
          adopted,
        ),
    });
    expect(violation).toMatchObject({ rule: 'D1' });
  });
});

describe('P1 in the simulator', () => {
  it('operators pause and resume rollouts in the random runs, and every invariant holds', () => {
    let pauses = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const result = new Simulation({ seed, verbose: true }).run();
      expect(result.violation).toBeNull();
      pauses += result.trace.filter((l) => / pause by .*→ .*record-event/.test(l)).length;
    }
    expect(pauses).toBeGreaterThan(0);
  });

  it('P1: a paused rollout that drains an old container is reported', () => {
    const d = new Driver();
    const tracker = new InvariantTracker();
    d.deploy(spec());
    d.readyAll();
    d.deploy(spec({ image: 'sha256:bb' }));
    d.command({ type: 'pause', app: 'shop', user: 'ana' });
    const before = tracker.beforeStep(d.world, 'shop');
    // Plant the bug: the engine begins a drain while paused.
    const victim = d.containers({ version: 1 })[0]!;
    const effects = [{ type: 'stop-inputs' as const, containerId: victim.id }];
    expect(checkPaused(d.world, 'shop', before, effects)).toMatchObject({ rule: 'P1' });
    expect(checkPaused(d.world, 'shop', before, [])).toBeNull();
  });
});
