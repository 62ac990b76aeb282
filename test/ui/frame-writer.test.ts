// The frame writer between Ink and a real terminal emulator (@xterm/headless): what the screen
// shows after each frame, resize and shrink, and how few bytes a small change costs.
import './force-color.ts';
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';
import { Box, render, Text } from 'ink';
import { createElement as h } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { isNarrow, parseLine } from '../../src/ui/frame-cells.ts';
import { frameWriter } from '../../src/ui/frame-writer.ts';

/** A TTY-like stdout that feeds an @xterm/headless terminal. */
class EmulatedStdout extends EventEmitter {
  isTTY = true;
  columns = 40;
  rows = 10;
  written = '';
  readonly xterm = new xtermHeadless.Terminal({ cols: 40, rows: 10, allowProposedApi: true });
  private parsed: Promise<void> = Promise.resolve();
  write = (chunk: string) => {
    this.written += chunk;
    // A terminal's line discipline turns \n into \r\n (onlcr) on the way out.
    const bytes = chunk.replace(/\r?\n/g, '\r\n');
    this.parsed = new Promise((resolve) => this.xterm.write(bytes, resolve));
    return true;
  };
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.xterm.resize(columns, rows);
  }
  async screen(): Promise<string> {
    await this.parsed;
    const buffer = this.xterm.buffer.active;
    const lines = Array.from({ length: this.rows }, (_, row) => buffer.getLine(row)?.translateToString(true));
    return lines.join('\n').trimEnd();
  }
  async fg(row: number, column: number): Promise<number> {
    await this.parsed;
    return this.xterm.buffer.active.getLine(row)!.getCell(column)!.getFgColor();
  }
}

const lines = (...texts: (string | [string, string])[]) =>
  h(
    Box,
    { flexDirection: 'column' },
    ...texts.map((t) => (typeof t === 'string' ? h(Text, null, t) : h(Text, { color: t[1] }, t[0]))),
  );

const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const unmount of unmounts.splice(0)) unmount();
});

function start(first: ReturnType<typeof lines>) {
  const stdout = new EmulatedStdout();
  const writer = frameWriter(stdout as unknown as NodeJS.WriteStream);
  const instance = render(first, {
    stdout: writer.stdout,
    incrementalRendering: false,
    patchConsole: false,
    maxFps: 1000,
  });
  unmounts.push(() => {
    instance.unmount();
    stdout.xterm.dispose();
  });
  const frame = async (next: ReturnType<typeof lines>) => {
    instance.rerender(next);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return stdout.screen();
  };
  return { stdout, writer, frame };
}

describe('frameWriter', () => {
  test('frames of any height land on the top rows; a shorter frame leaves nothing behind', async () => {
    const { stdout, frame } = start(lines('top 0', 'middle', 'end 0'));
    expect(await stdout.screen()).toBe('top 0\nmiddle\nend 0');
    expect(await frame(lines('top 1', 'middle', 'end 1', 'one more'))).toBe('top 1\nmiddle\nend 1\none more');
    expect(await frame(lines('top 2', 'mid'))).toBe('top 2\nmid');
    expect(await frame(lines('top 3', 'middle', 'end 3'))).toBe('top 3\nmiddle\nend 3');
  });

  test('a changed age rewrites a few cells, not the line', async () => {
    const { stdout, frame } = start(lines('shop · v7 · building 12s', 'Containers ███ 3 ready'));
    const before = stdout.written.length;
    expect(await frame(lines('shop · v7 · building 13s', 'Containers ███ 3 ready'))).toBe(
      'shop · v7 · building 13s\nContainers ███ 3 ready',
    );
    const tick = stdout.written.slice(before);
    // The synchronized-output marks, one cursor position and the one changed digit.
    expect(tick).toBe('\x1b[?2026h\x1b[1;23H3\x1b[?2026l');
  });

  test('colours are kept cell by cell, also where a change starts inside a coloured run', async () => {
    const { stdout, frame } = start(lines(['ok ready', 'green'], 'plain'));
    await frame(lines(['ok rdy', 'green'], 'plain'));
    expect(await stdout.screen()).toBe('ok rdy\nplain');
    expect(await stdout.fg(0, 4)).toBe(await stdout.fg(0, 0));
    expect(await stdout.fg(0, 0)).not.toBe(await stdout.fg(1, 0));
  });

  test('after a resize (larger or smaller) the whole frame is repainted, even when Ink has nothing new', async () => {
    const { stdout, writer, frame } = start(lines('header', 'body', 'footer'));
    stdout.write('\x1b[2J'); // the terminal lost what it showed
    stdout.resize(60, 20);
    writer.invalidate();
    expect(await stdout.screen()).toBe('header\nbody\nfooter');
    stdout.resize(4, 10);
    writer.invalidate();
    expect(await stdout.screen()).toBe('head\nbody\nfoot');
    stdout.resize(40, 10);
    writer.invalidate();
    expect(await frame(lines('header', 'body 2', 'footer'))).toBe('header\nbody 2\nfooter');
  });

  test('nothing is written when a frame is the same as the screen', async () => {
    const { stdout, frame } = start(lines('a', 'b'));
    const before = stdout.written.length;
    await frame(lines('a', 'b'));
    expect(stdout.written.length).toBe(before);
  });

  test('wide characters: the row is rewritten whole', async () => {
    const { frame } = start(lines('log 日本 1'));
    expect(await frame(lines('log 日本 2'))).toBe('log 日本 2');
  });
});

describe('cells', () => {
  test.each([
    ['A', true],
    ['█', true],
    ['▲', true],
    ['●', true],
    ['日', false],
    ['⏸', false],
    ['\t', false],
  ])('%s narrow: %s', (ch, narrow) => {
    expect(isNarrow(ch.codePointAt(0)!)).toBe(narrow);
  });

  test('SGR codes become per-cell styles; resets end them', () => {
    const { cells, exact } = parseLine('a\x1b[32mb\x1b[1mc\x1b[39md\x1b[0me');
    expect(exact).toBe(true);
    expect(cells.map((c) => `${c.ch}:${c.style}`)).toEqual(['a:', 'b:32', 'c:1;32', 'd:1', 'e:']);
  });
});
