// `modal app list [-e ENV] --json` (py/modal/cli/app.py `list_`): one row per app of the
// environment with columns App ID, Description (the deployed name), State, Tasks, Created at,
// Stopped at. Ephemeral apps (`modal run`) share the table; cutover watches deployed ones.
import { type ModalRow, parseModalTime, parseRows, text } from './modal-json.ts';

/** One app as `modal app list` shows it. */
export interface ModalApp {
  appId: string;
  name: string;
  /** Modal's word: `deployed`, `stopped`, `stopping...`, `initializing...`, `disabled`, … */
  state: string;
  /** Running containers, as Modal counts them (`n_running_tasks`). */
  tasks: number | null;
  createdAt: number | null;
  stoppedAt: number | null;
}

function appOf(row: ModalRow): ModalApp | null {
  const appId = text(row, 'app_id');
  const name = text(row, 'description');
  if (appId === null || name === null) return null;
  const tasks = Number(text(row, 'tasks'));
  return {
    appId,
    name,
    state: text(row, 'state') ?? 'unknown',
    tasks: Number.isInteger(tasks) ? tasks : null,
    createdAt: parseModalTime(text(row, 'created_at')),
    stoppedAt: parseModalTime(text(row, 'stopped_at')),
  };
}

export function parseApps(json: string): ModalApp[] {
  return parseRows(json, 'modal app list --json')
    .map(appOf)
    .filter((a): a is ModalApp => a !== null);
}

/** States of a deployed app that is (still, or about to be) serving. */
const live = new Set(['deployed', 'initializing...']);
/** States of an app that was deployed and is stopped or on its way there. */
const ended = new Set(['stopped', 'stopping...', 'disabled']);

export function isLive(app: ModalApp): boolean {
  return live.has(app.state);
}

/**
 * The app a deployed name means: the live one, else the most recently created stopped one (its
 * history stays readable, T1); null when the environment has no deployed app of that name.
 */
export function appNamed(apps: ModalApp[], name: string): ModalApp | null {
  const mine = apps.filter(
    (a) => (a.name === name || a.appId === name) && (live.has(a.state) || ended.has(a.state)),
  );
  const serving = mine.find(isLive);
  if (serving) return serving;
  return mine.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0))[0] ?? null;
}

/** Deployed and stopped apps, for `cutover apps`. */
export function deployedApps(apps: ModalApp[]): ModalApp[] {
  return apps.filter((a) => live.has(a.state) || ended.has(a.state));
}
