import { describe, expect, test } from 'vitest';
import {
  bindingById,
  type DialogKeyId,
  dialogKeymap,
  type KeyId,
  type KeyPress,
  type KeyStroke,
} from '../../src/ui/keymap.ts';
import {
  initialScreenState,
  type KeyOutcome,
  type RouteContext,
  routeKey,
  type ScreenState,
} from '../../src/ui/route-key.ts';
import { allCapabilities, rolling, snapshot } from './fixtures.ts';

const context = (over: Partial<RouteContext> = {}): RouteContext => ({
  snapshot: rolling(),
  capabilities: allCapabilities,
  deployDir: '/srv/shop',
  tooSmall: false,
  ...over,
});

/** What Ink reports for a stroke. */
function stroke(s: KeyStroke): [string, KeyPress] {
  if (s.named !== undefined) return ['', { [s.named]: true }];
  return [s.input ?? '', s.ctrl ? { ctrl: true } : {}];
}
const screenKey = (id: KeyId, n = 0) => stroke(bindingById(id).keys[n]!);
const dialogKey = (id: DialogKeyId, n = 0) => stroke(dialogKeymap.find((b) => b.id === id)!.keys[n]!);
const text = (input: string): [string, KeyPress] => [input, {}];

/** Feeds keypresses one after another; returns every outcome and the last state. */
function feed(keys: [string, KeyPress][], c = context(), from: ScreenState = initialScreenState) {
  let state = from;
  const outcomes: KeyOutcome[] = [];
  for (const [input, key] of keys) {
    const outcome = routeKey(state, input, key, c);
    outcomes.push(outcome);
    state = outcome.state;
  }
  const commands = outcomes.flatMap((o) => (o.command === undefined ? [] : [o.command]));
  const quits = outcomes.filter((o) => o.quit === true).length;
  const notices = outcomes.flatMap((o) => (o.notice === undefined ? [] : [o.notice.text]));
  return { state, commands, quits, notices };
}

describe('routeKey: the screen', () => {
  test.each<[string, [string, KeyPress][], Partial<ScreenState>]>([
    [
      'rollback opens the dialog on the previous version',
      [screenKey('rollout.rollback')],
      {
        modal: { kind: 'rollback', targets: [7, 6, 5], index: 0, warned: false },
      },
    ],
    [
      'rollover opens on the app strategy',
      [screenKey('rollout.rollover')],
      {
        modal: { kind: 'rollover', strategy: 'rolling', strategies: ['rolling', 'recreate'] },
      },
    ],
    ['stop opens with nothing typed', [screenKey('app.stop')], { modal: { kind: 'stop', typed: '' } }],
    ['deploy opens its confirmation', [screenKey('app.deploy')], { modal: { kind: 'deploy' } }],
    ['help opens the overlay', [screenKey('view.help')], { modal: { kind: 'help', top: 0 } }],
    ['history toggles the table', [screenKey('view.history')], { showHistory: true }],
    ['focus moves to the next panel', [screenKey('view.focus')], { focus: 'events' }],
    [
      'focus visits the history table only while it is shown',
      [screenKey('view.history'), screenKey('view.focus')],
      { showHistory: true, focus: 'history' },
    ],
    [
      'hiding the history table moves the focus off it',
      [screenKey('view.history'), screenKey('view.focus'), screenKey('view.history')],
      { showHistory: false, focus: 'events' },
    ],
    ['a key that is not in the keymap changes nothing', [text('x')], {}],
  ])('%s', (_name, keys, expected) => {
    const { state, commands, quits } = feed(keys);
    expect(state).toEqual({ ...initialScreenState, ...expected });
    expect(commands).toEqual([]);
    expect(quits).toBe(0);
  });

  test('every quit key quits and sends nothing', () => {
    for (const s of bindingById('app.quit').keys) {
      expect(feed([stroke(s)])).toMatchObject({ quits: 1, commands: [] });
    }
  });

  test('a disabled binding says why and opens nothing', () => {
    const stopped = context({ snapshot: snapshot({ status: 'stopped' }) });
    const { state, notices } = feed([screenKey('rollout.rollback'), screenKey('app.stop')], stopped);
    expect(state).toEqual(initialScreenState);
    expect(notices).toEqual(['rollback: app is stopped', 'stop: app is stopped']);
  });

  test('below the minimum size only quitting works', () => {
    const small = context({ tooSmall: true });
    expect(feed([screenKey('rollout.rollback'), screenKey('view.help')], small).state).toEqual(
      initialScreenState,
    );
    expect(feed([screenKey('app.quit')], small).quits).toBe(1);
  });
});

describe('routeKey: the dialogs', () => {
  // The last column: which dialog is open afterwards (one closes when it confirms or cancels).
  test.each<[string, [string, KeyPress][], unknown[], string]>([
    [
      'rollback, confirm: the previous version',
      [screenKey('rollout.rollback'), dialogKey('dialog.confirm')],
      [{ id: 'rollout.rollback', to: 7 }],
      'none',
    ],
    [
      'rollback, y confirms too',
      [screenKey('rollout.rollback'), dialogKey('dialog.confirm', 1)],
      [{ id: 'rollout.rollback', to: 7 }],
      'none',
    ],
    [
      'rollback, down twice and up once: one older',
      [
        screenKey('rollout.rollback'),
        dialogKey('dialog.down'),
        dialogKey('dialog.down', 1),
        dialogKey('dialog.up', 1),
        dialogKey('dialog.confirm'),
      ],
      [{ id: 'rollout.rollback', to: 6 }],
      'none',
    ],
    [
      'rollback, cancel sends nothing',
      [screenKey('rollout.rollback'), dialogKey('dialog.cancel')],
      [],
      'none',
    ],
    ['rollback, an unbound key keeps it open', [screenKey('rollout.rollback'), text('x')], [], 'rollback'],
    [
      'rollover, toggle then confirm: recreate',
      [screenKey('rollout.rollover'), dialogKey('dialog.toggle'), dialogKey('dialog.confirm')],
      [{ id: 'rollout.rollover', strategy: 'recreate' }],
      'none',
    ],
    [
      'stop, a wrong name does not confirm; erasing and typing the right one does',
      [
        screenKey('app.stop'),
        ...[...'shp'].map(text),
        dialogKey('dialog.submit'),
        dialogKey('dialog.erase'),
        dialogKey('dialog.erase', 1),
        ...[...'hop'].map(text),
        dialogKey('dialog.submit'),
      ],
      [{ id: 'app.stop' }],
      'none',
    ],
    [
      'stop, y is a letter of the name, not a confirmation',
      [screenKey('app.stop'), dialogKey('dialog.confirm', 1)],
      [],
      'stop',
    ],
    [
      'deploy, confirm',
      [screenKey('app.deploy'), dialogKey('dialog.confirm')],
      [{ id: 'app.deploy' }],
      'none',
    ],
    ['deploy, cancel', [screenKey('app.deploy'), dialogKey('dialog.cancel')], [], 'none'],
    ['rollover, cancel', [screenKey('rollout.rollover'), dialogKey('dialog.cancel')], [], 'none'],
  ])('%s', (_name, keys, commands, open) => {
    const result = feed(keys);
    expect(result.commands).toEqual(commands);
    expect(result.state.modal.kind).toBe(open);
  });

  test('only the open dialog hears a key: q typed into the stop dialog is text', () => {
    const { state, quits } = feed([screenKey('app.stop'), screenKey('app.quit')]);
    expect(quits).toBe(0);
    expect(state.modal).toEqual({ kind: 'stop', typed: 'q' });
  });

  test('screen keys do nothing while a dialog is open', () => {
    const { state, commands } = feed([
      screenKey('rollout.rollback'),
      screenKey('view.history'),
      screenKey('app.stop'),
    ]);
    expect(state).toEqual({
      ...initialScreenState,
      modal: { kind: 'rollback', targets: [7, 6, 5], index: 0, warned: false },
    });
    expect(commands).toEqual([]);
  });

  test('ctrl-c quits from inside a dialog', () => {
    const ctrlC = bindingById('app.quit').keys.find((k) => k.ctrl)!;
    expect(feed([screenKey('app.stop'), stroke(ctrlC)]).quits).toBe(1);
  });

  test('help closes with its own key or cancel, and hears nothing else', () => {
    expect(feed([screenKey('view.help'), screenKey('view.help')]).state).toEqual(initialScreenState);
    expect(feed([screenKey('view.help'), dialogKey('dialog.cancel')]).state).toEqual(initialScreenState);
    const { state, commands } = feed([screenKey('view.help'), screenKey('rollout.rollback')]);
    expect(state.modal).toEqual({ kind: 'help', top: 0 });
    expect(commands).toEqual([]);
  });
});
