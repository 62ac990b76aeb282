import type { Snapshot } from '../../engine/snapshot.ts';
import { bannerLines, headerLine } from '../present/header.ts';
import { Lines } from './Lines.tsx';

/** App, platform, version, strategy, rollout progress, and banners (at most `banners`). */
export function HeaderBar(props: {
  snapshot: Snapshot;
  now: number;
  width: number;
  banners: number;
  color: boolean;
}) {
  const { snapshot, now, width } = props;
  const lines = [headerLine(snapshot, width), ...bannerLines(snapshot, now, width).slice(0, props.banners)];
  return <Lines lines={lines} color={props.color} />;
}
