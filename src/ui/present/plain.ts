// The line plain mode prints for each change: no escape codes, one line per snapshot.
import type { Snapshot } from '../../engine/snapshot.ts';
import { clock } from './format.ts';
import { rolloutText } from './header.ts';

/** `12:00:03 shop v7 → v8 rolling 3/5 ready · queued 0 · in flight 4` */
export function plainLine(snapshot: Snapshot): string {
  const parts = [`${clock(snapshot.at)} ${snapshot.app}`];
  const version = snapshot.version === null ? 'no version' : `v${snapshot.version}`;
  parts[0] +=
    snapshot.rollout === null ? ` ${version} ${rolloutText(snapshot)}` : ` ${rolloutText(snapshot)}`;
  const extra: string[] = [];
  const { queued, inFlight } = snapshot.inputs;
  extra.push(`queued ${queued ?? 'not reported'}`, `in flight ${inFlight ?? 'not reported'}`);
  if (snapshot.failed !== null)
    extra.unshift(`FAILED v${snapshot.failed.version}: ${snapshot.failed.reason}`);
  if (snapshot.building !== null) extra.unshift(`building for ${snapshot.building.user}`);
  return [parts[0], ...extra].join(' · ');
}
