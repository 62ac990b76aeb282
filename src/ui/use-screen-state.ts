// The screen's one input handler. Ink subscribes a component's useInput in an effect after it
// renders, so a handler per dialog misses the keys that arrive before that effect (`r` then `y`
// typed fast, or pasted). This one is registered once, with the root, and never changes: each
// key goes through routeKey against a ref that is updated at once, and React state mirrors the
// ref for rendering.
import { useInput } from 'ink';
import { useCallback, useRef, useState } from 'react';
import type { UiCommand } from './commands.ts';
import { splitKeys } from './key-events.ts';
import type { KeyPress } from './keymap.ts';
import { initialScreenState, type RouteContext, routeKey, type ScreenState } from './route-key.ts';
import type { CommandStatus } from './use-command-status.ts';

/** What the router does with a key's outcome besides keeping the state. */
export interface ScreenEffects {
  run: (command: UiCommand) => void;
  quit: () => void;
  tell: (status: CommandStatus | null) => void;
  /** A key was pressed: what the status line said is old news now. */
  pressed: () => void;
  /** Follow a container's output (its id), or stop following (null). */
  logs: (container: string | null) => void;
  /** Back to the overview. */
  back: () => void;
}

export function useScreenState(context: RouteContext, effects: ScreenEffects): ScreenState {
  const stateRef = useRef<ScreenState>(initialScreenState);
  const [state, setState] = useState<ScreenState>(initialScreenState);
  // The latest props, read when a key arrives (the handler itself is created once).
  const latest = useRef({ context, effects });
  latest.current = { context, effects };

  const onInput = useCallback((input: string, key: KeyPress) => {
    for (const press of splitKeys(input, key)) {
      const { context: now, effects: out } = latest.current;
      out.pressed();
      const outcome = routeKey(stateRef.current, press.input, press.key, now);
      stateRef.current = outcome.state;
      if (outcome.notice !== undefined) out.tell(outcome.notice);
      if (outcome.command !== undefined) out.run(outcome.command);
      if (outcome.logs !== undefined) out.logs(outcome.logs);
      if (outcome.back === true) {
        out.back();
        break;
      }
      if (outcome.quit === true) {
        out.quit();
        break;
      }
    }
    setState(stateRef.current);
  }, []);
  useInput(onInput);
  return state;
}
