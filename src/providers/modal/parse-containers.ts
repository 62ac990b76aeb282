// `modal container list [--app-id ap-…] --json` (py/modal/cli/container.py `list_`): newest
// first, columns Container ID, App ID, App Name, Start Time (`Pending` before the container has
// started). It names neither the function nor the version a container runs.
import { type ModalRow, parseModalTime, parseRows, text } from './modal-json.ts';

/** One container as `modal container list` shows it. */
export interface ModalContainer {
  id: string;
  appId: string | null;
  appName: string | null;
  /** Null while Modal says `Pending`. */
  startedAt: number | null;
}

function containerOf(row: ModalRow): ModalContainer | null {
  const id = text(row, 'container_id');
  if (id === null) return null;
  return {
    id,
    appId: text(row, 'app_id'),
    appName: text(row, 'app_name'),
    startedAt: parseModalTime(text(row, 'start_time')),
  };
}

export function parseContainers(json: string): ModalContainer[] {
  return parseRows(json, 'modal container list --json')
    .map(containerOf)
    .filter((c): c is ModalContainer => c !== null);
}
