// The research's mapping of a Fly machine onto the engine's container states (§5), table by
// table, from the documented machine body extended with fly-go's fields.
import { describe, expect, it } from 'vitest';
import type { FlyMachine } from '../../../src/providers/fly/fly-types.ts';
import { containerOf, machineState } from '../../../src/providers/fly/machine-container.ts';
import { documentedMachine, machine } from '../../fakes/fly/recorded.ts';

const state = (m: ReturnType<typeof machine>, rollingTo: number | null = null) =>
  machineState(m as unknown as FlyMachine, 3, rollingTo);

describe('a Fly machine as a container', () => {
  it('reads the documented machine: release 3, group app, region ord, ready with its check passing', () => {
    expect(
      containerOf(documentedMachine as unknown as FlyMachine, { rollingTo: null, inFlight: null }),
    ).toEqual({
      id: 'a5c5de9ce64ca12',
      function: 'app',
      version: 3,
      state: 'ready',
      inFlight: null,
      startedAt: 1698719726615,
      reason: null,
      restarts: 0,
      location: 'ord',
    });
  });

  it.each([
    ['created', 'starting'],
    ['starting', 'starting'],
    ['restarting', 'starting'],
    ['stopping', 'draining'],
    ['destroying', 'draining'],
    ['suspending', 'draining'],
    ['stopped', 'exited'],
    ['suspended', 'exited'],
  ])('state %s is %s', (flyState, expected) => {
    expect(state(machine({ state: flyState })).state).toBe(expected);
  });

  it('an update in place is the new release starting while it rolls out, an old one draining otherwise', () => {
    expect(state(machine({ state: 'replacing' }), 3)).toEqual({ state: 'starting', reason: null });
    expect(state(machine({ state: 'replacing' }), 4)).toEqual({ state: 'draining', reason: 'replacing' });
  });

  it('started without check results yet (a fresh machine) is starting, not ready', () => {
    expect(state(machine({ checks: null }))).toEqual({
      state: 'starting',
      reason: 'waiting for its first checks',
    });
  });

  it('H1: a critical check is failed with its output; during its own rollout it is still starting', () => {
    const failing = machine({
      checks: [{ status: 'critical', output: 'HTTP GET /healthz: 500 Internal Server Error' }],
    });
    expect(state(failing)).toEqual({
      state: 'failed',
      reason: 'check servicecheck-00-http-8080 critical: HTTP GET /healthz: 500 Internal Server Error',
    });
    expect(state(failing, 3).state).toBe('starting');
  });

  it('a warning check is starting, with the check named', () => {
    expect(state(machine({ checks: [{ status: 'warning', output: 'slow' }] }))).toEqual({
      state: 'starting',
      reason: 'check servicecheck-00-http-8080 warning: slow',
    });
  });

  it('cordoned: an old machine is draining, a green one of the release rolling out is starting', () => {
    expect(state(machine({ cordoned: true }), 4).state).toBe('draining');
    expect(state(machine({ cordoned: true }), 3)).toEqual({
      state: 'starting',
      reason: 'cordoned until the new machines are healthy',
    });
  });

  it('an unreachable host is failed whatever the state says', () => {
    expect(state(machine({ host: 'unreachable' }))).toEqual({
      state: 'failed',
      reason: "host unreachable: Fly cannot reach this machine's host",
    });
  });

  it('a failed machine says how it exited', () => {
    const m = machine({
      state: 'failed',
      events: [
        {
          type: 'exit',
          status: 'stopped',
          source: 'flyd',
          timestamp: 1,
          request: { exit_event: { exit_code: 3 }, restart_count: 2 },
        },
      ],
    });
    const c = containerOf(m as unknown as FlyMachine, { rollingTo: null, inFlight: new Map([[m.id, 4]]) });
    expect(c).toMatchObject({ state: 'failed', reason: 'exited with code 3', restarts: 2, inFlight: 4 });
  });

  it("a machine no release made (fly machine run) is not one of the app's containers", () => {
    const m = machine({});
    delete (m.config.metadata as Record<string, string>).fly_release_version;
    expect(containerOf(m as unknown as FlyMachine, { rollingTo: null, inFlight: null })).toBeNull();
  });
});
