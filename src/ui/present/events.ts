// The last events, newest last, one line each.
import type { AppEvent } from '../../engine/types.ts';
import { clock } from './format.ts';
import { clipLine, type Line, seg } from './line.ts';

/** `12:00:03 warn  container c3 failed readiness` */
export function eventLine(event: AppEvent, width: number): Line {
  const tone = event.level === 'error' ? 'error' : event.level === 'warn' ? 'warn' : undefined;
  const level = event.level === 'info' ? '     ' : event.level.padEnd(5);
  return clipLine(
    [seg(`${clock(event.at)} `, 'dim'), seg(level, tone), seg(` ${event.message}`, tone)],
    width,
  );
}

/** The newest `count` events, newest last. */
export function eventLines(events: AppEvent[], width: number, count: number): Line[] {
  if (count <= 0) return [];
  return events.slice(-count).map((e) => eventLine(e, width));
}
