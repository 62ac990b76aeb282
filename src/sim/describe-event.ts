// One line per engine event in the simulator's trace.
import type { EngineEvent } from '../engine/events.ts';

export function describeEvent(event: EngineEvent): string {
  switch (event.type) {
    case 'deploy':
      return `deploy ${event.spec.image.slice(-4)} by ${event.user}${event.strategy ? ` (${event.strategy})` : ''}`;
    case 'rollback':
      return `rollback${event.to ? ` to v${event.to}` : ''} by ${event.user}`;
    case 'rollover':
    case 'stop':
    case 'pause':
    case 'resume':
      return `${event.type} by ${event.user}`;
    case 'input-arrived':
      return `input ${event.inputId} → ${event.function}`;
    case 'input-finished':
    case 'input-failed':
      return `${event.type} ${event.inputId} on ${event.containerId}`;
    case 'input-cancelled':
      return `${event.type} ${event.inputId}`;
    case 'container-ready':
    case 'container-unready':
    case 'container-exited':
      return `${event.type} ${event.containerId}`;
    case 'build-finished':
    case 'build-failed':
      return `${event.type} ${event.buildId}`;
    case 'tick':
      return 'tick';
  }
}
