// The containers the screen lists for a local app: every live one, and for each function in a
// crash loop (H1 back-off) the one that failed last, with why. The engine replaces a failed
// container with a new one, so "restarts" counts the failures in a row of its template (the
// back-off is kept per template: the desired version's templates are the ones on screen).
import { templateFor } from './containers.ts';
import type { ContainerSummary } from './snapshot.ts';
import type { AppEvent } from './types.ts';
import { type AppState, desiredVersion } from './world.ts';

/** What a container's readiness probe answered last (the runtime knows; the engine does not). */
export type ProbeAnswers = (containerId: string) => string | undefined;

/** The function a container id belongs to: ids are `<app>-<function>-<n>` (containers.ts). */
function functionOfId(app: AppState, id: string, functions: string[]): string | null {
  let best: string | null = null;
  for (const fn of functions) {
    if (id.startsWith(`${app.record.name}-${fn}-`) && (best === null || fn.length > best.length)) best = fn;
  }
  return best;
}

/** Every function name any version of the app had. */
function functionNames(app: AppState): string[] {
  const names = new Set<string>();
  for (const v of app.versions) for (const fn of v.spec.functions) names.add(fn.name);
  return [...names];
}

/** `exited (code 3)` from `shop-web-4 exited (code 3)`. */
function failureReason(event: AppEvent): string {
  const id = event.container ?? '';
  return event.message.startsWith(`${id} `) ? event.message.slice(id.length + 1) : event.message;
}

/** The newest `container-failed` event matching `which`, or null. */
export function lastFailure(app: AppState, which: (event: AppEvent) => boolean): AppEvent | null {
  for (let i = app.recentEvents.length - 1; i >= 0; i--) {
    const event = app.recentEvents[i]!;
    if (event.kind === 'container-failed' && event.container !== undefined && which(event)) return event;
  }
  return null;
}

export function containerRows(app: AppState, probe: ProbeAnswers = () => undefined): ContainerSummary[] {
  const rows: ContainerSummary[] = [];
  for (const c of app.containers.values()) {
    const failures = app.backoff.get(c.template)?.failures ?? 0;
    const answer = c.state === 'starting' ? probe(c.id) : undefined;
    rows.push({
      id: c.id,
      function: c.function,
      version: c.version,
      state: c.state,
      inFlight: c.inFlight,
      startedAt: c.startedAt,
      reason: answer === undefined ? null : `readiness: ${answer}`,
      restarts: c.state === 'starting' ? failures : 0,
    });
  }
  const names = functionNames(app);
  // A failed container's template: its function in the version it ran.
  const templateOfEvent = (e: AppEvent): string | null => {
    const version = e.version === undefined ? undefined : app.versions[e.version - 1];
    const name = functionOfId(app, e.container!, names);
    const fn = version?.spec.functions.find((f) => f.name === name);
    return version && fn ? templateFor(version, fn) : null;
  };
  const desired = desiredVersion(app);
  for (const fnSpec of desired?.spec.functions ?? []) {
    const template = templateFor(desired!, fnSpec);
    const backoff = app.backoff.get(template);
    if (backoff === undefined || backoff.failures === 0) continue;
    const fn = fnSpec.name;
    const event = lastFailure(app, (e) => templateOfEvent(e) === template);
    if (event === null || app.containers.has(event.container!)) continue;
    const answer = probe(event.container!);
    rows.push({
      id: event.container!,
      function: fn,
      version: event.version ?? 0,
      state: 'failed',
      inFlight: 0,
      startedAt: null,
      reason: `${failureReason(event)}${answer === undefined ? '' : `; last probe: ${answer}`}`,
      restarts: backoff.failures,
    });
  }
  return rows;
}
