// Runs a changing `modal` command and keeps what cutover knows about it: the command itself
// (recorded before it runs, so a watcher elsewhere attributes the version it creates), each line
// Modal prints (the app's event log), and how it ended.
import type { AppEvent } from '../../engine/types.ts';
import type { ModalCli, ModalRun } from './modal-cli.ts';
import type { CommandRecord, ModalStore } from './store.ts';

/** What a command is, before it runs. */
export type CommandOrigin = Pick<CommandRecord, 'kind' | 'strategy' | 'user' | 'rollbackOf'>;

export interface RecordedRun {
  id: string;
  startedAt: number;
  run: ModalRun;
}

export class CommandRecorder {
  constructor(
    private readonly cli: ModalCli,
    private readonly store: ModalStore,
    /** Called once the command is recorded and again when it ends (a watcher looks at once). */
    private readonly changed: (app: string) => void,
  ) {}

  event(app: string, appId: string, event: Omit<AppEvent, 'at' | 'appId'>): void {
    this.store.appendEvent(app, { at: Date.now(), appId, ...event });
  }

  /** `app` may be null when the name is not known yet (a deploy): nothing is recorded then. */
  async run(app: string | null, appId: string, origin: CommandOrigin, args: string[]): Promise<RecordedRun> {
    const id = this.store.newCommandId();
    const startedAt = Date.now();
    if (app !== null) {
      this.store.recordCommand(app, { id, phase: 'started', ...origin, at: startedAt });
      this.event(app, appId, {
        level: 'info',
        kind: 'modal-command',
        message: `${origin.user} ran modal ${args.join(' ')}`,
      });
      this.changed(app);
    }
    const run = await this.cli.run(args, {
      onLine: (line) => {
        if (app !== null && line.trim() !== '')
          this.event(app, appId, { level: 'info', kind: 'modal-output', message: line.trimEnd() });
      },
    });
    return { id, startedAt, run };
  }

  /**
   * Records how the command ended (the version it created, or null). `startedAt` records its
   * start too, for a deploy whose app was only learnt from its output.
   */
  finish(
    app: string,
    id: string,
    origin: CommandOrigin,
    version: number | null,
    ok: boolean,
    startedAt?: number,
  ): void {
    if (startedAt !== undefined)
      this.store.recordCommand(app, { id, phase: 'started', ...origin, at: startedAt });
    this.store.recordCommand(app, { id, phase: 'finished', ...origin, at: Date.now(), version, ok });
    this.changed(app);
  }
}
