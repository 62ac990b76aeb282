// Runs a command through `onCommand` and keeps the status line that reports it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandReply } from '../engine/effects.ts';
import type { UiCommand } from './commands.ts';
import { pendingText, replyText } from './present/reply.ts';

/** The status line: what was asked or happened last, and whether it went wrong. */
export interface CommandStatus {
  text: string;
  level: 'info' | 'error';
}

export function useCommandStatus(onCommand: (c: UiCommand) => Promise<CommandReply>): {
  status: CommandStatus | null;
  run: (command: UiCommand) => void;
  tell: (status: CommandStatus | null) => void;
} {
  const [status, setStatus] = useState<CommandStatus | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    (command: UiCommand) => {
      setStatus({ text: pendingText(command), level: 'info' });
      onCommand(command).then(
        (reply) => {
          if (mounted.current)
            setStatus({ text: replyText(reply, command), level: reply.ok ? 'info' : 'error' });
        },
        (error: unknown) => {
          if (mounted.current)
            setStatus({ text: error instanceof Error ? error.message : String(error), level: 'error' });
        },
      );
    },
    [onCommand],
  );
  return { status, run, tell: setStatus };
}
