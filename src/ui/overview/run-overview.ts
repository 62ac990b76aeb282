// `cutover` (no arguments) and `cutover watch` (no app): the live overview of every app on every
// configured target; enter opens an app's screen in place, esc there comes back.
import { appScreen } from '../app-screen.ts';
import { colorEnabled } from '../terminal.ts';
import { runScreen, type ScreenControl, type ScreenIO, type Shown } from '../terminal-screen.ts';
import { type OverviewData, type OverviewSource, overviewFeed } from './overview-feed.ts';
import { initialOverviewState, type OverviewState } from './overview-keys.ts';
import { overviewModel } from './overview-model.ts';

/** What the CLI hands the overview. */
export interface OverviewOptions extends ScreenIO {
  sources: OverviewSource[];
  user: string;
  /** The directory `d` deploys again for a local app (the current one, when its manifest is it). */
  deployDirFor: (source: OverviewSource, app: string) => string | null;
}

export function runOverview(o: OverviewOptions): Promise<number> {
  const color = colorEnabled(o.env);
  let remembered: OverviewState = initialOverviewState;
  let data: OverviewData | null = null;

  const overview = (control: ScreenControl): Shown => {
    const feed = overviewFeed(o.sources, (next) => {
      data = next;
      control.redraw();
    });
    const model = overviewModel({
      initial: remembered,
      onState: (state) => {
        remembered = state;
      },
      onQuit: () => control.finish(0),
      onOpen: (row) => {
        const source = o.sources[row.source];
        if (source?.provider == null) return;
        control.show(
          appScreen(
            {
              provider: source.provider,
              app: row.app,
              deployDir: source.provider.platform === 'local' ? o.deployDirFor(source, row.app) : null,
              user: o.user,
              color,
              readonly: source.readonly ? `target ${source.label} is read-only` : null,
              onBack: () => control.show(overview(control)),
            },
            control,
          ),
        );
      },
      changed: control.redraw,
    });
    return {
      lines: ({ now, size }) => model.frame({ data, targets: o.sources.length, size, now, color }),
      key: model.key,
      stop: () => feed.stop(),
    };
  };
  return runScreen(o, overview);
}
