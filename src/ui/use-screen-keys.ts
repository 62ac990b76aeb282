// The screen's own keys (when no dialog is open): each keypress goes through the keymap, so a
// disabled binding says why instead of acting.
import { useInput } from 'ink';
import { bindingFor, type KeyContext, type KeyId } from './keymap.ts';

export function useScreenKeys(
  context: KeyContext,
  isActive: boolean,
  act: (id: KeyId) => void,
  refuse: (id: KeyId, reason: string) => void,
): void {
  useInput(
    (input, key) => {
      const binding = bindingFor(input, key);
      if (binding === undefined) return;
      const reason = binding.disabledReason(context);
      if (reason === null) act(binding.id);
      else refuse(binding.id, reason);
    },
    { isActive },
  );
}
