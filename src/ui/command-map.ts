// Maps the screen's commands to Provider calls, attributed to the operator (B1, O1, T1).
import type { CommandReply } from '../engine/effects.ts';
import type { Provider } from '../engine/provider.ts';
import type { UiCommand } from './commands.ts';

export function sendCommand(
  provider: Provider,
  app: string,
  user: string,
  deployDir: string | null,
  command: UiCommand,
): Promise<CommandReply> {
  switch (command.id) {
    case 'rollout.rollback':
      return provider.rollback(app, command.to, { user });
    case 'rollout.rollover':
      return provider.rollover(app, {
        user,
        ...(command.strategy === undefined ? {} : { strategy: command.strategy }),
      });
    case 'app.stop':
      return provider.stop(app, { user });
    case 'rollout.pause':
      return provider.pause(app, { user });
    case 'rollout.resume':
      return provider.resume(app, { user });
    case 'app.deploy':
      if (deployDir === null) return Promise.reject(new Error('no deploy directory: not a local app'));
      return provider.deploy({ path: deployDir }, { user });
  }
}
