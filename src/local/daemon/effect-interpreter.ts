// The daemon's engine loop: every event goes through `step`, the step's records are written in
// one transaction, and only then is each action handed to the shell that owns it (write-ahead).
// Nothing else changes the engine's world. A record that cannot be written stops the loop: the
// world in memory is then ahead of the records, and acting on it (or answering from it) could
// promise a version number a restart would hand out again (D1).

import type { CommandReply, Effect, InputError } from '../../engine/effects.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { step } from '../../engine/step.ts';
import type { FunctionSpec } from '../../engine/types.ts';
import type { World } from '../../engine/world.ts';
import type { Store } from '../store/store.ts';

type Of<T extends Effect['type']> = Extract<Effect, { type: T }>;

/** The owners of the engine's actions: each effect goes to exactly one of them. */
export interface EffectActors {
  /** A version started rolling out: the proxies its functions need (a new port, a rollback's old one). */
  openProxies(appId: string, functions: FunctionSpec[]): void;
  /** An app stopped: its proxies answer "app stopped" a while, then free their ports (T1). */
  appStopped(appName: string): void;
  build(effect: Of<'build-image'>): void;
  cancelBuild(buildId: string): void;
  startContainer(effect: Of<'start-container'>): void;
  terminate(containerId: string, graceMs: number): void;
  route(inputId: string, containerId: string): void;
  answerError(inputId: string, error: InputError, message: string): void;
  reply(requestId: string, reply: CommandReply): void;
  /** A version became active: images no version needs any more may be collected. */
  versionActivated(): void;
  /**
   * These apps changed (null: any may have); `now` when a version's outcome did (watchers are
   * told at once).
   */
  changed(appIds: Set<string> | null, now: boolean): void;
}

export class EffectInterpreter {
  private closed = false;

  constructor(
    private readonly store: Store,
    readonly world: World,
    private readonly actors: EffectActors,
    private savedSequence: number,
    /** A record could not be written: the daemon must stop, and a restart restore from the records. */
    private readonly fatal: (error: unknown) => void,
  ) {}

  dispatch(event: EngineEvent): void {
    if (this.closed) return;
    const before = this.appBefore(event);
    const { effects } = step(this.world, event);
    if (this.world.sequence > this.savedSequence) {
      this.savedSequence = this.world.sequence;
      if (!this.write(() => this.store.raiseCounter('ids', this.savedSequence))) return;
    }
    // Most inputs finish with no effect at all: nothing to record, act on or tell.
    if (effects.length === 0) return;
    this.carryOut(effects, this.appsAfter(event, effects, before));
  }

  /** Carries out a step's effects; `touched` are the apps it changed (null: any may have). */
  carryOut(effects: Effect[], touched: Set<string> | null = null): void {
    if (effects.length === 0) return;
    this.actors.changed(touched, false);
    // Write-ahead: every record of this step is committed before any action is taken.
    let records = 0;
    let versions = 0;
    for (const e of effects) {
      if (e.type === 'record-version') versions++;
      if (
        e.type === 'record-app' ||
        e.type === 'record-version' ||
        e.type === 'record-event' ||
        e.type === 'record-metrics'
      )
        records++;
    }
    let activated = false;
    const written =
      records === 0 ||
      this.write(() =>
        this.store.transaction(() => {
          for (const e of effects) activated = this.record(e) || activated;
        }),
      );
    if (!written) return;
    if (activated) this.actors.versionActivated();
    for (const effect of effects) this.act(effect);
    // A version's outcome changed (a rollout started, finished or failed): tell watchers now,
    // not at the next publish tick, so `deploy` and `wait` return as soon as it is true.
    if (versions > 0) this.actors.changed(touched, true);
  }

  /** The app an event is about, read before the step (which may forget a container or input). */
  private appBefore(event: EngineEvent): string | undefined {
    const { world } = this;
    switch (event.type) {
      case 'input-arrived':
        return event.appId;
      case 'input-finished':
      case 'input-failed':
        return world.containerApp.get(event.containerId) ?? world.inputs.get(event.inputId)?.appId;
      case 'container-ready':
      case 'container-unready':
      case 'container-exited':
        return world.containerApp.get(event.containerId);
      default:
        return undefined;
    }
  }

  /** Every app the step changed: the event's own, and any its effects name. */
  private appsAfter(event: EngineEvent, effects: Effect[], before: string | undefined): Set<string> {
    const apps = new Set<string>();
    if (before !== undefined) apps.add(before);
    const byName = (name: string | undefined) => {
      const id = name === undefined ? undefined : this.world.latestByName.get(name);
      if (id !== undefined) apps.add(id);
    };
    if ('app' in event) byName(event.app);
    for (const e of effects) {
      if (e.type === 'record-app') apps.add(e.app.id);
      else if (e.type === 'record-version') apps.add(e.appId);
      else if (e.type === 'record-event') apps.add(e.event.appId);
      else if (e.type === 'record-metrics') apps.add(e.sample.appId);
      else if (e.type === 'start-container') apps.add(e.container.appId);
      else if (e.type === 'build-image') byName(e.app);
    }
    return apps;
  }

  /** Runs a store write; on failure nothing more is stepped or acted on, and the daemon stops. */
  private write(run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      this.closed = true;
      this.fatal(error);
      return false;
    }
  }

  /** No event is stepped after this (the daemon is going away). */
  close(): void {
    this.closed = true;
  }

  /** Writes one record; true when it makes a version active. */
  private record(effect: Effect): boolean {
    switch (effect.type) {
      case 'record-app':
        this.store.saveApp(effect.app);
        break;
      case 'record-version':
        this.store.saveVersion(effect.appId, effect.version);
        return effect.version.outcome === 'active';
      case 'record-event':
        this.store.appendEvent(effect.event);
        break;
      case 'record-metrics':
        this.store.saveMetrics(effect.sample);
        break;
    }
    return false;
  }

  private act(effect: Effect): void {
    switch (effect.type) {
      case 'record-version':
        if (effect.version.outcome === 'rolling')
          this.actors.openProxies(effect.appId, effect.version.spec.functions);
        break;
      case 'record-app':
        if (effect.app.status === 'stopped') this.actors.appStopped(effect.app.name);
        break;
      case 'build-image':
        this.actors.build(effect);
        break;
      case 'cancel-build':
        this.actors.cancelBuild(effect.buildId);
        break;
      case 'start-container':
        this.actors.startContainer(effect);
        break;
      case 'terminate':
        this.actors.terminate(effect.containerId, effect.graceMs);
        break;
      case 'route':
        this.actors.route(effect.inputId, effect.containerId);
        break;
      case 'answer-error':
        this.actors.answerError(effect.inputId, effect.error, effect.message);
        break;
      case 'reply':
        this.actors.reply(effect.requestId, effect.reply);
        break;
      default:
        break; // records are written above; stop-inputs needs nothing here (the engine routes)
    }
  }
}
