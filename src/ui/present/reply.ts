// What the status line says after a command: what was created, or why nothing changed.
import type { CommandReply } from '../../engine/effects.ts';
import type { UiCommand } from '../commands.ts';

/** `v9 created (rollback to v7)`, the no-op message, or the engine's refusal. */
export function replyText(reply: CommandReply, command?: UiCommand): string {
  if (!reply.ok) return reply.message;
  if (reply.noop || command?.id === 'rollout.pause' || command?.id === 'rollout.resume') return reply.message;
  const target = reply.rollbackOf === null ? '' : ` (rollback to v${reply.rollbackOf})`;
  const warnings = reply.warnings.length > 0 ? ` · ${reply.warnings.join(' · ')}` : '';
  return `v${reply.version} created${target}${warnings}`;
}

/** What the status line says while a command runs. */
export function pendingText(command: UiCommand): string {
  switch (command.id) {
    case 'rollout.rollback':
      return `rolling back to v${command.to}…`;
    case 'rollout.rollover':
      return `rolling over (${command.strategy})…`;
    case 'app.stop':
      return 'stopping…';
    case 'app.deploy':
      return 'deploying…';
    case 'rollout.pause':
      return 'pausing the rollout…';
    case 'rollout.resume':
      return 'resuming the rollout…';
  }
}
