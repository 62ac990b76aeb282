import { describe, expect, test } from 'vitest';
import { type Modal, modalReducer, noModal } from '../../src/ui/modal-state.ts';

describe('the modal reducer', () => {
  test('rollback: opens on the given target, moves within bounds; moving drops a warning', () => {
    let m: Modal = modalReducer(noModal, { type: 'open-rollback', targets: [7, 6, 5], index: 1 });
    expect(m).toEqual({ kind: 'rollback', targets: [7, 6, 5], index: 1, warned: false });
    m = modalReducer(m, { type: 'warn' });
    expect(m).toMatchObject({ warned: true });
    m = modalReducer(m, { type: 'move', by: -1 });
    expect(m).toMatchObject({ index: 0, warned: false });
    m = modalReducer(m, { type: 'move', by: -1 });
    expect(m).toMatchObject({ index: 0 });
    m = modalReducer(modalReducer(modalReducer(m, { type: 'move', by: 1 }), { type: 'move', by: 1 }), {
      type: 'move',
      by: 1,
    });
    expect(m).toMatchObject({ index: 2 });
  });

  test('rollover toggles between the strategies', () => {
    const m = modalReducer(noModal, {
      type: 'open-rollover',
      strategy: 'rolling',
      strategies: ['rolling', 'recreate'],
    });
    expect(modalReducer(m, { type: 'toggle-strategy' })).toMatchObject({
      kind: 'rollover',
      strategy: 'recreate',
    });
  });

  test('stop collects the typed name', () => {
    let m = modalReducer(noModal, { type: 'open-stop' });
    m = modalReducer(m, { type: 'type', text: 'shp' });
    m = modalReducer(m, { type: 'erase' });
    m = modalReducer(m, { type: 'type', text: 'op' });
    expect(m).toEqual({ kind: 'stop', typed: 'shop' });
  });

  test('actions for another dialog change nothing; close closes', () => {
    const m = modalReducer(noModal, { type: 'open-help' });
    expect(modalReducer(m, { type: 'move', by: 1 })).toBe(m);
    expect(modalReducer(m, { type: 'type', text: 'x' })).toBe(m);
    expect(modalReducer(m, { type: 'close' })).toEqual(noModal);
  });
});
