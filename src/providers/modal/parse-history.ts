// `modal app history APP --json` (py/modal/cli/app.py `history`): newest first, columns Version
// (`v5`; a bare `5` before modal 0.64), Time deployed, Client, Deployed by, Commit (`abc1234`,
// `abc1234*` when the tree was dirty), Tag (dropped when no row has one). The deployment type and
// the version a rollback restored are in Modal's API but not in this table.
import { type ModalRow, parseModalTime, parseRows, text } from './modal-json.ts';

/** One row of an app's deployment history. */
export interface ModalVersion {
  version: number;
  deployedAt: number | null;
  client: string | null;
  deployedBy: string | null;
  commit: string | null;
  tag: string | null;
}

function versionOf(row: ModalRow): ModalVersion | null {
  const m = /^v?(\d+)$/.exec(text(row, 'version') ?? '');
  if (!m) return null;
  return {
    version: Number(m[1]),
    deployedAt: parseModalTime(text(row, 'time_deployed')),
    client: text(row, 'client'),
    deployedBy: text(row, 'deployed_by'),
    commit: text(row, 'commit'),
    tag: text(row, 'tag'),
  };
}

/** The rows, newest (highest version) first whatever order they came in. */
export function parseHistory(json: string): ModalVersion[] {
  return parseRows(json, 'modal app history --json')
    .map(versionOf)
    .filter((v): v is ModalVersion => v !== null)
    .sort((a, b) => b.version - a.version);
}

/** `client 1.5.4 · commit abc1234* · tag release-7`: what Modal says of a version besides its number. */
export function describeVersion(v: ModalVersion): string | null {
  const parts = [
    v.client && `client ${v.client}`,
    v.commit && `commit ${v.commit}`,
    v.tag && `tag ${v.tag}`,
  ].filter(Boolean);
  return parts.length === 0 ? null : parts.join(' · ');
}
