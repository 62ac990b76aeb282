// What a rollback or rollover changes, for its dialog, before it is confirmed: the image,
// functions, containers and concurrency, [env] keys (old → new), secrets whose fingerprint differs
// (B2), whether running containers are kept (same template, B1) or replaced, and what the
// platform cannot take back. Only names and values the version itself holds; never a secret.
import type { Snapshot, SpecSummary, VersionSummary } from '../../engine/snapshot.ts';
import { type Line, seg } from './line.ts';

const short = (image: string) => (image.startsWith('sha256:') ? `${image.slice(0, 19)}…` : image);
const quote = (value: string) => JSON.stringify(value.length > 24 ? `${value.slice(0, 23)}…` : value);

/** `GREETING "hi" → "hello"`, `+FLAG "1"`, `-OLD`: every [env] key that differs. */
function envChanges(from: Record<string, string>, to: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return keys.flatMap((k) => {
    if (!(k in to)) return [`-${k}`];
    if (!(k in from)) return [`+${k} ${quote(to[k]!)}`];
    return from[k] === to[k] ? [] : [`${k} ${quote(from[k]!)} → ${quote(to[k]!)}`];
  });
}

/** One phrase per function that differs: added, removed, command, containers, concurrency. */
function functionChanges(from: SpecSummary, to: SpecSummary): string[] {
  const changes: string[] = [];
  for (const fn of to.functions) {
    const was = from.functions.find((f) => f.name === fn.name);
    if (was === undefined) {
      changes.push(`+${fn.name} (${fn.containers} × ${fn.command})`);
      continue;
    }
    const parts: string[] = [];
    if (was.command !== fn.command) parts.push(`command ${quote(was.command)} → ${quote(fn.command)}`);
    if (was.containers !== fn.containers) parts.push(`containers ${was.containers} → ${fn.containers}`);
    if (was.concurrency !== fn.concurrency) parts.push(`concurrency ${was.concurrency} → ${fn.concurrency}`);
    if (parts.length > 0) changes.push(`${fn.name} ${parts.join(', ')}`);
  }
  for (const fn of from.functions)
    if (!to.functions.some((f) => f.name === fn.name)) changes.push(`-${fn.name}`);
  return changes;
}

/** B2: secrets added, removed, or whose keyed fingerprint differs. */
function secretChanges(from: SpecSummary, to: SpecSummary): string[] {
  const names = [...new Set([...Object.keys(from.secrets), ...Object.keys(to.secrets)])].sort();
  return names.flatMap((name) => {
    if (!(name in to.secrets)) return [`${name} no longer expected`];
    if (!(name in from.secrets)) return [`${name} expected (not by the running version)`];
    return from.secrets[name] === to.secrets[name] ? [] : [`${name} differs`];
  });
}

/** Live containers whose version runs `template`: a rollback to it keeps them (B1). */
function keptContainers(snapshot: Snapshot, template: string): { kept: number; live: number } {
  const templates = new Map(snapshot.history.map((v) => [v.version, v.spec?.template]));
  const live = snapshot.containers.filter((c) => c.state === 'ready' || c.state === 'starting');
  return { kept: live.filter((c) => templates.get(c.version) === template).length, live: live.length };
}

const row = (label: string, text: string): Line => [seg(label.padEnd(11), 'dim'), seg(text)];

/** The lines of "what changes" when the app goes from `from` (what runs) to `to`. */
export function specChangeLines(
  snapshot: Snapshot,
  from: VersionSummary | undefined,
  to: VersionSummary,
  kind: 'rollback' | 'rollover',
): Line[] {
  const a = from?.spec;
  const b = to.spec;
  if (from === undefined || a === undefined || b === undefined) {
    const image = from && from.image !== to.image ? `image ${short(from.image)} → ${short(to.image)}` : '';
    return [row('changes', `${image || 'the spec'}: the rest is not reported by this platform`)];
  }
  if (kind === 'rollback' && a.template === b.template) {
    return [[seg(`identical to what runs now (v${from.version}): nothing changes, no new version`, 'ok')]];
  }
  const lines: Line[] = [];
  if (from.specHash === to.specHash) {
    lines.push(row('spec', `the same as v${from.version}'s: nothing in it changes`));
  } else {
    if (a.image !== b.image) lines.push(row('image', `${short(a.image)} → ${short(b.image)}`));
    for (const change of functionChanges(a, b)) lines.push(row('function', change));
    const env = envChanges(a.env, b.env);
    if (env.length > 0) lines.push(row('env', env.join(' · ')));
  }
  const secrets = secretChanges(a, b);
  if (secrets.length > 0) lines.push([seg('secrets'.padEnd(11), 'dim'), seg(secrets.join(' · '), 'warn')]);
  const { kept, live } = keptContainers(snapshot, b.template);
  lines.push(
    kind === 'rollover' || kept === 0
      ? row('containers', `all ${live} running containers are replaced`)
      : row('containers', `keeps ${kept} running (same template as v${to.version}); replaces ${live - kept}`),
  );
  if (kind === 'rollback' && b.outside.length > 0) lines.push(row('not undone', b.outside.join(', ')));
  if (kind === 'rollover' && Object.keys(b.secrets).length > 0)
    lines.push(row('secrets', `read again as containers start: ${Object.keys(b.secrets).join(', ')}`));
  return lines;
}
