// What cutover itself knows about a Modal app and Modal does not print: which versions it made
// and how (kind rollback/rollover, strategy, who, the version a rollback restored), the output of
// the commands it ran, the functions a deploy created, and the last history it saw (a stopped
// app's history cannot be read from Modal any more). Under the provider's state directory, one
// directory per environment and app; files are NDJSON appended, or JSON replaced whole.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppEvent, VersionKind } from '../../engine/types.ts';
import { appendOwnerOnly, ownerOnlyDirectory, readOwnerOnly, replaceOwnerOnly } from './owner-only-files.ts';
import type { ModalVersion } from './parse-history.ts';

/** A command cutover ran against an app: appended when it starts and again when it ends. */
export interface CommandRecord {
  id: string;
  phase: 'started' | 'finished';
  kind: VersionKind | 'stop';
  strategy: string;
  user: string;
  /** The version a rollback restores, where known. */
  rollbackOf: number | null;
  at: number;
  /** `finished`: the version it created (null for a no-op, a failure or a stop). */
  version?: number | null;
  ok?: boolean;
}

/** A command with its end, if it has ended. */
export interface CommandState {
  id: string;
  kind: CommandRecord['kind'];
  strategy: string;
  user: string;
  rollbackOf: number | null;
  startedAt: number;
  finished: { at: number; version: number | null; ok: boolean } | null;
}

/** What `modal deploy` said it created: the functions, and the URL of each web function. */
export interface DeployedFunctions {
  names: string[];
  urls: Record<string, string>;
}

/** Past this size an NDJSON file keeps only its newest half. */
const maxBytes = 256 * 1024;

function lines<T>(text: string | null): T[] {
  if (text === null) return [];
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line cut short by a crash mid-write is skipped; the rest stays readable.
    }
  }
  return out;
}

export class ModalStore {
  private readonly root: string;

  constructor(stateDir: string, environment: string | undefined) {
    // Valid environment names start with a letter or digit, so `_default` is never one of them.
    this.root = join(stateDir, environment ?? '_default');
  }

  private dir(app: string): string {
    ownerOnlyDirectory(join(this.root, '..'));
    ownerOnlyDirectory(this.root);
    // `app-` keeps names like `..` (valid on Modal) from being read as paths.
    return ownerOnlyDirectory(join(this.root, `app-${app}`));
  }

  private append(app: string, file: string, value: unknown): void {
    const path = join(this.dir(app), file);
    if (appendOwnerOnly(path, `${JSON.stringify(value)}\n`) <= maxBytes) return;
    // Bounded: the newest lines that fit in half the limit are kept.
    const text = readOwnerOnly(path) ?? '';
    const newest = text.slice(text.length - maxBytes / 2);
    replaceOwnerOnly(path, newest.slice(newest.indexOf('\n') + 1));
  }

  newCommandId(): string {
    return randomBytes(6).toString('hex');
  }

  recordCommand(app: string, record: CommandRecord): void {
    this.append(app, 'commands.ndjson', record);
  }

  /** The commands cutover ran for the app, oldest first, each with its end if it ended. */
  commands(app: string): CommandState[] {
    const byId = new Map<string, CommandState>();
    for (const r of lines<CommandRecord>(readOwnerOnly(join(this.dir(app), 'commands.ndjson')))) {
      if (r.phase === 'started') {
        byId.set(r.id, {
          id: r.id,
          kind: r.kind,
          strategy: r.strategy,
          user: r.user,
          rollbackOf: r.rollbackOf,
          startedAt: r.at,
          finished: null,
        });
      } else {
        const started = byId.get(r.id);
        if (started) started.finished = { at: r.at, version: r.version ?? null, ok: r.ok ?? false };
      }
    }
    return [...byId.values()];
  }

  appendEvent(app: string, event: AppEvent): void {
    this.append(app, 'events.ndjson', event);
  }

  /** The newest `limit` events, oldest first. */
  events(app: string, limit: number): AppEvent[] {
    return lines<AppEvent>(readOwnerOnly(join(this.dir(app), 'events.ndjson'))).slice(-limit);
  }

  saveFunctions(app: string, functions: DeployedFunctions): void {
    replaceOwnerOnly(join(this.dir(app), 'functions.json'), JSON.stringify(functions));
  }

  functions(app: string): DeployedFunctions | null {
    const text = readOwnerOnly(join(this.dir(app), 'functions.json'));
    return text === null ? null : (JSON.parse(text) as DeployedFunctions);
  }

  saveHistory(app: string, appId: string, history: ModalVersion[]): void {
    replaceOwnerOnly(join(this.dir(app), 'history.json'), JSON.stringify({ appId, history }));
  }

  /** The last history seen for the app (with the id of the app it belonged to), or null. */
  history(app: string): { appId: string; history: ModalVersion[] } | null {
    const text = readOwnerOnly(join(this.dir(app), 'history.json'));
    return text === null ? null : (JSON.parse(text) as { appId: string; history: ModalVersion[] });
  }
}
