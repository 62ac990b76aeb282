// Ink's incremental renderer into a real terminal emulator: frames shorter than the terminal
// must be redrawn in place, not one row lower each time.
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';
import { Box, render, Text } from 'ink';
import { createElement as h } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { fixIncrementalFrame, withIncrementalFix } from '../../src/ui/incremental-fix.ts';

describe('fixIncrementalFrame', () => {
  test.each([
    ['a redraw goes up one row more', '\x1b[2A\x1b[1Gline', '\x1b[3A\x1b[1Gline'],
    ['also after the synchronized-output mark', '\x1b[?2026h\x1b[28A', '\x1b[?2026h\x1b[29A'],
    ['ESC[0A already moves one row', '\x1b[0Ax', '\x1b[1Ax'],
    ['a first frame is left alone', 'line A\nline B\n', 'line A\nline B\n'],
    ['an erase (shrink, clear) is left alone', '\x1b[2K\x1b[1A\x1b[2K\x1b[G', '\x1b[2K\x1b[1A\x1b[2K\x1b[G'],
    ['a cursor-up later in a chunk is left alone', 'x\x1b[2A', 'x\x1b[2A'],
  ])('%s', (_name, chunk, expected) => {
    expect(fixIncrementalFrame(chunk)).toBe(expected);
  });
});

/** A TTY-like stdout that feeds an @xterm/headless terminal. */
class EmulatedStdout extends EventEmitter {
  isTTY = true;
  columns = 40;
  rows = 10;
  readonly xterm = new xtermHeadless.Terminal({ cols: 40, rows: 10, allowProposedApi: true });
  private parsed: Promise<void> = Promise.resolve();
  write = (chunk: string) => {
    // A terminal's line discipline turns \n into \r\n (onlcr) on the way out.
    const bytes = chunk.replace(/\r?\n/g, '\r\n');
    this.parsed = new Promise((resolve) => this.xterm.write(bytes, resolve));
    return true;
  };
  async screen(): Promise<string> {
    await this.parsed;
    const buffer = this.xterm.buffer.active;
    const lines = Array.from({ length: this.rows }, (_, row) => buffer.getLine(row)?.translateToString(true));
    return lines.join('\n').trimEnd();
  }
}

const frame = (n: number) =>
  h(
    Box,
    { flexDirection: 'column' },
    h(Text, null, `top ${n}`),
    h(Text, null, 'middle'),
    h(Text, null, `end ${n}`),
  );

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});

async function renderFrames(fix: boolean): Promise<string> {
  const stdout = new EmulatedStdout();
  const target = stdout as unknown as NodeJS.WriteStream;
  const instance = render(frame(0), {
    stdout: fix ? withIncrementalFix(target) : target,
    incrementalRendering: true,
    patchConsole: false,
    debug: false,
  });
  unmounts.push(() => {
    instance.unmount();
    stdout.xterm.dispose();
  });
  for (let n = 1; n <= 3; n++) {
    instance.rerender(frame(n));
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  return stdout.screen();
}

describe('withIncrementalFix', () => {
  test('three redraws of a three-line frame land where the first one was', async () => {
    expect(await renderFrames(true)).toBe('top 3\nmiddle\nend 3');
  });

  test('without it, Ink 6.8 drifts one row per redraw (the reason the fix exists)', async () => {
    expect(await renderFrames(false)).not.toBe('top 3\nmiddle\nend 3');
  });
});
