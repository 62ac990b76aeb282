// What cutover can do with a Modal app, as data (the keymap, --help and the CLI read it).
import type { Capabilities } from '../../engine/provider.ts';

export const modalCapabilities: Capabilities = {
  unavailable: {
    pause:
      'Modal has no pause: a rolling deploy, rollback or rollover is carried out by Modal at once (modal app has no pause command)',
  },
  // `--strategy rolling|recreate` on modal deploy (≥ 1.4.0), app rollover (≥ 1.4.2), app rollback (≥ 1.5.1).
  strategies: ['rolling', 'recreate'],
  strategyNote:
    'Modal offers rolling (the default) and recreate (py/modal/runner.py DEPLOYMENT_STRATEGY_TYPE)',
  rollbackTo: 'any',
  rollbackNote: null,
  // Reported through the SDK where the user's Python has the modal package; each snapshot's
  // inputsNote says where it has not.
  inputsNotReported: null,
};
