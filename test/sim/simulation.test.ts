// The simulator: it finds nothing wrong with the real engine, and it does find planted bugs.
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/effects.ts';
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
