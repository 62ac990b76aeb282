// What every `modal … --json` table has in common: an array of rows whose keys are the table's
// column names. Since modal 1.5.0 they are snake_case ("app_id"); before, the column names
// themselves ("App ID", "Time deployed", "Start time"). Both become snake_case here, the way
// modal-client's py/modal/cli/utils.py `_col_name_to_json_key` derives them.
import { ProviderError } from '../../engine/provider-error.ts';

/** One row of a `--json` table, keys normalised to snake_case. */
export type ModalRow = Record<string, unknown>;

/** `App ID` → `app_id`, `Time deployed` → `time_deployed`; snake_case keys stay as they are. */
export function normaliseKey(key: string): string {
  return key
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
}

/** Parses a `--json` table printed by `command`; anything else is Modal's output we cannot read. */
export function parseRows(text: string, command: string): ModalRow[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProviderError('failed', `${command} did not print JSON`, {
      reason: 'modal-output',
      detail: text.slice(0, 2000),
    });
  }
  if (!Array.isArray(value) || !value.every((row) => typeof row === 'object' && row !== null)) {
    throw new ProviderError('failed', `${command} printed JSON that is not a table of rows`, {
      reason: 'modal-output',
      detail: text.slice(0, 2000),
    });
  }
  return value.map((row: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(row).map(([key, cell]) => [normaliseKey(key), cell])),
  );
}

/** A cell as text; null for null, missing or empty. */
export function text(row: ModalRow, key: string): string | null {
  const cell = row[key];
  if (cell === null || cell === undefined) return null;
  const value = String(cell).trim();
  return value === '' ? null : value;
}

// `isoformat(sep=" ", timespec="seconds")` in the user's local zone (py/modal/_utils/time_utils.py
// `timestamp_to_localized_str`): `2026-11-30 14:03:12+00:00`. A `T` separator, fractions of a
// second, `Z` and the table format `2026-11-30 14:03 UTC` are read too.
const modalTime = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/;

/**
 * Milliseconds since the epoch of one of Modal's times; null for null, `Pending` (a container
 * not started yet) and anything unreadable. A time without a zone is read as UTC.
 */
export function parseModalTime(value: string | null): number | null {
  if (value === null) return null;
  const m = modalTime.exec(value.trim());
  if (!m) return null;
  const zone = m[4] === undefined || m[4] === 'UTC' || m[4] === 'Z' ? 'Z' : m[4];
  const iso = `${m[1]}T${m[2]}${m[3] ?? ':00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}
