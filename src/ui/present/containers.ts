// Containers: old and new version side by side, by state, per function.
import type { ContainerSummary, Snapshot } from '../../engine/snapshot.ts';
import type { ContainerState } from '../../engine/types.ts';
import { padEnd } from './format.ts';
import { clipLine, type Line, seg } from './line.ts';

/** States shown, in the order their blocks are drawn. */
const shown: { state: ContainerState; block: string }[] = [
  { state: 'ready', block: '█' },
  { state: 'starting', block: '░' },
  { state: 'draining', block: '▒' },
  { state: 'failed', block: '✗' },
];

const maxBlocks = 10;

/** The version the new side shows: the one rolling out, else the active one. */
export function newVersionOf(snapshot: Snapshot): number | null {
  return snapshot.rollout?.to ?? snapshot.version;
}

const short: Record<string, string> = { ready: 'rdy', starting: 'start', draining: 'drain', failed: 'fail' };

/** `v7 ███▒ 3 ready 1 draining` (`3 rdy 1 drain` when `abbreviate`), or `—` when there are none. */
export function sideText(containers: ContainerSummary[], abbreviate = false): string {
  const live = containers.filter((c) => c.state !== 'exited');
  if (live.length === 0) return '—';
  const versions = [...new Set(live.map((c) => c.version))].sort((a, b) => a - b);
  let blocks = '';
  const counts: string[] = [];
  for (const { state, block } of shown) {
    const n = live.filter((c) => c.state === state).length;
    if (n === 0) continue;
    blocks += block.repeat(n);
    counts.push(`${n} ${abbreviate ? (short[state] ?? state) : state}`);
  }
  if (blocks.length > maxBlocks) blocks = `${blocks.slice(0, maxBlocks - 1)}+`;
  return `${versions.map((v) => `v${v}`).join(',')} ${blocks} ${counts.join(' ')}`;
}

/** The heading (with the panel title, `▸` when focused) and one line per function. */
export function containerLines(snapshot: Snapshot, width: number, focused = false): Line[] {
  const newVersion = newVersionOf(snapshot);
  const names = snapshot.functions.map((f) => f.name);
  for (const c of snapshot.containers) if (!names.includes(c.function)) names.push(c.function);
  const title = `${focused ? '▸ ' : ''}Containers`;
  const nameWidth = Math.max(13, ...names.map((n) => n.length + 1));
  const sides = (abbreviate: boolean) =>
    names.map((name) => {
      const mine = snapshot.containers.filter((c) => c.function === name);
      return {
        name,
        old: sideText(
          mine.filter((c) => c.version !== newVersion),
          abbreviate,
        ),
        new: sideText(
          mine.filter((c) => c.version === newVersion),
          abbreviate,
        ),
      };
    });
  const fits = (rows: ReturnType<typeof sides>) => {
    const oldWidth = Math.max(3, ...rows.map((r) => r.old.length));
    return nameWidth + oldWidth + 2 + Math.max(3, ...rows.map((r) => r.new.length)) <= width;
  };
  let rows = sides(false);
  if (!fits(rows)) rows = sides(true);
  const oldWidth = Math.max(3, ...rows.map((r) => r.old.length));
  const heading: Line = [
    seg(padEnd(title, nameWidth), focused ? 'focus' : undefined),
    seg(padEnd('old', oldWidth + 2), 'dim'),
    seg('new', 'dim'),
  ];
  if (rows.length === 0) return [clipLine(heading, width), [seg('no functions', 'dim')]];
  return [
    clipLine(heading, width),
    ...rows.map((r) =>
      clipLine(
        [seg(padEnd(r.name, nameWidth)), seg(padEnd(r.old, oldWidth), 'old'), seg('  '), seg(r.new, 'new')],
        width,
      ),
    ),
  ];
}
