// Renders the watch screen with test defaults and spies; keys go through ink-testing-library.
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { CommandReply } from '../../src/engine/effects.ts';
import type { Snapshot } from '../../src/engine/snapshot.ts';
import type { UiCommand } from '../../src/ui/commands.ts';
import { WatchScreen, type WatchScreenProps } from '../../src/ui/WatchScreen.tsx';
import { allCapabilities, now } from './fixtures.ts';

export const keys = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  backspace: '\x7f',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  ctrlC: '\x03',
};

/** Lets Ink read the input and React commit the update. */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function renderScreen(snapshot: Snapshot | null, over: Partial<WatchScreenProps> = {}) {
  const reply: CommandReply = {
    ok: true,
    app: 'shop',
    version: 9,
    noop: false,
    rollbackOf: 6,
    message: 'v9 created',
    warnings: [],
  };
  const onCommand = vi.fn<(c: UiCommand) => Promise<CommandReply>>(async () => reply);
  const onQuit = vi.fn<() => void>();
  const props: WatchScreenProps = {
    snapshot,
    error: null,
    size: { columns: 80, rows: 24 },
    now,
    color: false,
    deployDir: '/srv/shop',
    capabilities: allCapabilities,
    onCommand,
    onQuit,
    ...over,
  };
  const instance = render(<WatchScreen {...props} />);
  const frame = () => instance.lastFrame() ?? '';
  const press = async (...inputs: string[]) => {
    for (const input of inputs) {
      instance.stdin.write(input);
      await settle(100);
    }
  };
  return { ...instance, frame, press, onCommand, onQuit, props };
}
