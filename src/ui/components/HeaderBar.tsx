import type { Snapshot } from '../../engine/snapshot.ts';
import { bannerLines, type FailureOutput, headerLine, type Stale, staleLine } from '../present/header.ts';
import { Lines } from './Lines.tsx';

/** App, platform, version, strategy, rollout progress, and banners (at most `banners`). */
export function HeaderBar(props: {
  snapshot: Snapshot;
  now: number;
  width: number;
  banners: number;
  stale: Stale | null;
  failureOutput?: FailureOutput | null;
  color: boolean;
}) {
  const { snapshot, now, width } = props;
  const banners = [
    ...(props.stale === null ? [] : [staleLine(props.stale, now, width)]),
    ...bannerLines(snapshot, now, width, props.failureOutput ?? null),
  ];
  const lines = [headerLine(snapshot, width), ...banners.slice(0, props.banners)];
  return <Lines lines={lines} color={props.color} />;
}
