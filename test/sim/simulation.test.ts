// The simulator: it finds nothing wrong with the real engine, and it does find planted bugs.
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/effects.ts';
import { checkStep, InvariantTracker } from '../../src/sim/invariants.ts';
import { simulate } from '../../src/sim/simulation.ts';
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
