// The frame writer in front of a real terminal emulator (@xterm/headless): what the screen shows
// after each frame, resize and shrink, and how few bytes a small change costs.
import './force-color.ts';
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';
import { afterEach, describe, expect, test } from 'vitest';
import { cellWidth, isNarrow, parseLine } from '../../src/ui/frame-cells.ts';
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

const green = (text: string) => `\x1b[32m${text}\x1b[0m`;

const disposals: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposals.splice(0)) dispose();
});

function start(first: string[], full = false) {
  const stdout = new EmulatedStdout();
  const writer = frameWriter(stdout as unknown as NodeJS.WriteStream, { full });
  disposals.push(() => stdout.xterm.dispose());
  writer.draw(first);
  const frame = async (next: string[]) => {
    writer.draw(next);
    return stdout.screen();
  };
  return { stdout, writer, frame };
}

describe('frameWriter', () => {
  test('frames of any height land on the top rows; a shorter frame leaves nothing behind', async () => {
    const { stdout, frame } = start(['top 0', 'middle', 'end 0']);
    expect(await stdout.screen()).toBe('top 0\nmiddle\nend 0');
    expect(await frame(['top 1', 'middle', 'end 1', 'one more'])).toBe('top 1\nmiddle\nend 1\none more');
    expect(await frame(['top 2', 'mid'])).toBe('top 2\nmid');
    expect(await frame(['top 3', 'middle', 'end 3'])).toBe('top 3\nmiddle\nend 3');
  });

  test('a frame is cut to the rows above the last: a frame as tall as the terminal would scroll it', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `row ${i}`);
    const { stdout } = start(rows);
    expect((await stdout.screen()).split('\n')).toEqual(rows.slice(0, 9));
  });

  test('a changed age rewrites a few cells, not the line', async () => {
    const { stdout, frame } = start(['shop · v7 · building 12s', 'Containers ███ 3 ready']);
    const before = stdout.written.length;
    expect(await frame(['shop · v7 · building 13s', 'Containers ███ 3 ready'])).toBe(
      'shop · v7 · building 13s\nContainers ███ 3 ready',
    );
    const tick = stdout.written.slice(before);
    // The synchronized-output marks, one cursor position and the one changed digit.
    expect(tick).toBe('\x1b[?2026h\x1b[1;23H3\x1b[?2026l');
  });

  test('a new event at the bottom of a list: the list is scrolled up, not written again', async () => {
    const event = (n: number) =>
      `\x1b[90m12:00:${String(n).padStart(2, '0')}\x1b[0m container shop-web-${n} ready (v2)`;
    const { stdout, frame } = start(['Events', ...[1, 2, 3, 4, 5].map(event), 'footer']);
    const before = stdout.written.length;
    const shown = await frame(['Events', ...[2, 3, 4, 5, 6].map(event), 'footer']);
    expect(shown).toBe(
      ['Events', ...[2, 3, 4, 5, 6].map((n) => event(n).replace(/\x1b\[[\d;]*m/g, '')), 'footer'].join('\n'),
    );
    const written = stdout.written.slice(before);
    for (const moved of [2, 3, 4, 5]) expect(written).not.toContain(`shop-web-${moved} `);
    expect(written).toContain('shop-web-6');
    expect(Buffer.byteLength(written)).toBeLessThan(90);
  });

  test('a row put in the middle of a table: the rows below are scrolled down, and read right', async () => {
    const container = (n: number) => `  shop-web-${n}  v2  \x1b[32m█ ready\x1b[0m  ${n}s  0`;
    const { stdout, frame } = start(['Containers', ...[1, 2, 3, 4, 5, 6].map(container), 'Inputs']);
    const before = stdout.written.length;
    const next = ['Containers', container(1), container(9), ...[2, 3, 4, 5, 6].map(container), 'Inputs'];
    const plainRows = next.map((l) => l.replace(/\x1b\[[\d;]*m/g, ''));
    expect(await frame(next)).toBe(plainRows.join('\n'));
    const written = stdout.written.slice(before);
    expect(written).toMatch(/\x1b\[\d+;\d+r\x1b\[1T\x1b\[r/);
    for (const moved of [2, 3, 4, 5]) expect(written).not.toContain(`shop-web-${moved} `);
    expect(await stdout.fg(3, 20)).toBe(await stdout.fg(2, 20));
    expect(await stdout.fg(3, 20)).not.toBe(await stdout.fg(3, 2));
  });

  test('a chart line that moved one column left rewrites its two ends, not the line between', async () => {
    const line = (from: number) => `${' '.repeat(from)}${green('━'.repeat(20))}${' '.repeat(12 - from)}┤`;
    const { stdout, frame } = start(['chart', line(10)]);
    const before = stdout.written.length;
    expect(await frame(['chart', line(9)])).toBe(`chart\n${' '.repeat(9)}${'━'.repeat(20)}   ┤`);
    const moved = stdout.written.slice(before);
    expect(moved.split('━').length - 1).toBe(1);
    expect(await stdout.fg(1, 9)).toBe(await stdout.fg(1, 20));
    expect(await frame(['chart', ' ab'])).toBe('chart\n ab');
  });

  test('blanks past where a row was cut are not written again: the cursor moves over them', async () => {
    // A chart row emptied to its axis, then a line drawn far right on it: the erased cells
    // between are already blank on the terminal.
    const { stdout, frame } = start(['chart', `┤${' '.repeat(30)}${green('┃')}`]);
    await frame(['chart', '┤']);
    const before = stdout.written.length;
    expect(await frame(['chart', `┤${' '.repeat(33)}${green('┃')}  `])).toBe(`chart\n┤${' '.repeat(33)}┃`);
    const written = stdout.written.slice(before);
    expect(written).not.toContain('    ');
    expect(written.length).toBeLessThan(40);
    expect(await stdout.fg(1, 34)).toBe(2);
  });

  test('blanks between coloured cells are written in their colour, not switched off and on', async () => {
    const blue = (text: string) => `\x1b[94m${text}\x1b[0m`;
    const { stdout, frame } = start(['chart', `${blue('┃')}     ${blue('┃')}`]);
    const before = stdout.written.length;
    expect(await frame(['chart', ` ${blue('┃')}   ${blue('┃')}`])).toBe('chart\n ┃   ┃');
    const moved = stdout.written.slice(before);
    expect(moved.split('\x1b[94m').length - 1).toBe(1);
    expect(moved.split('\x1b[0m').length - 1).toBe(1);
    expect(await stdout.fg(1, 1)).toBe(12);
    expect(await stdout.fg(1, 5)).toBe(12);
    // Written in blue, the blanks still read as blanks when the next frame draws plain spaces.
    const again = stdout.written.length;
    await frame(['chart', ` ${blue('┃')}   ${blue('┃')}`.replace(/\x1b\[94m┃\x1b\[0m$/, '┃')]);
    expect(stdout.written.slice(again)).not.toMatch(/ {2}/);
  });

  test('colours are kept cell by cell, also where a change starts inside a coloured run', async () => {
    const { stdout, frame } = start([green('ok ready'), 'plain']);
    await frame([green('ok rdy'), 'plain']);
    expect(await stdout.screen()).toBe('ok rdy\nplain');
    expect(await stdout.fg(0, 4)).toBe(await stdout.fg(0, 0));
    expect(await stdout.fg(0, 0)).not.toBe(await stdout.fg(1, 0));
  });

  test('after a resize (larger or smaller) the whole frame is repainted, with no new frame', async () => {
    const { stdout, writer, frame } = start(['header', 'body', 'footer']);
    stdout.write('\x1b[2J'); // the terminal lost what it showed
    stdout.resize(60, 20);
    writer.invalidate();
    expect(await stdout.screen()).toBe('header\nbody\nfooter');
    stdout.resize(4, 10);
    writer.invalidate();
    expect(await stdout.screen()).toBe('head\nbody\nfoot');
    stdout.resize(40, 10);
    writer.invalidate();
    expect(await frame(['header', 'body 2', 'footer'])).toBe('header\nbody 2\nfooter');
  });

  test('nothing is written when a frame is the same as the screen', async () => {
    const { stdout, frame } = start(['a', green('b')]);
    const before = stdout.written.length;
    await frame(['a', green('b')]);
    expect(stdout.written.length).toBe(before);
  });

  test('wide characters: the row is rewritten whole, and cut by the columns it takes', async () => {
    const { stdout, frame } = start(['log 日本 1']);
    expect(await frame(['log 日本 2'])).toBe('log 日本 2');
    expect(await frame([`${'x'.repeat(36)}日本語`])).toBe(`${'x'.repeat(36)}日本`);
    expect(stdout.xterm.buffer.active.cursorY).toBe(0);
  });

  test('full: a changed frame is written whole, an unchanged one not at all (the benchmark baseline)', async () => {
    const { stdout, writer, frame } = start(['shop 12s', 'Containers ███'], true);
    const before = writer.bytes;
    expect(await frame(['shop 13s', 'Containers ███'])).toBe('shop 13s\nContainers ███');
    expect(stdout.written).toContain('Containers ███\x1b[K');
    const changed = writer.bytes - before;
    expect(changed).toBeGreaterThan(Buffer.byteLength('shop 13s\nContainers ███'));
    await frame(['shop 13s', 'Containers ███']);
    expect(writer.bytes - before).toBe(changed);
  });

  test('200 random edits, moves and shrinks of a frame: the screen always reads as the frame', async () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const word = () => ['ready', '━━━━', '┃', '12s', 'v8', '▲v2', '  ', 'x'][random(8)]!;
    const colours = ['32', '94', '90', '1;35'];
    const row = () =>
      Array.from({ length: random(9) }, () =>
        random(2) === 0 ? word() : `\x1b[${colours[random(4)]}m${word()}\x1b[0m`,
      ).join(' ');
    let rows = Array.from({ length: 6 }, row);
    const { stdout, writer, frame } = start(rows);
    let columns = 40;
    const plain = (lines: string[]) =>
      lines
        .map((l) =>
          l
            .replace(/\x1b\[[\d;]*m/g, '')
            .slice(0, columns)
            .trimEnd(),
        )
        .join('\n')
        .trimEnd();
    for (let step = 0; step < 200; step++) {
      if (step === 100) {
        // Narrower than most rows: runs end on the last column, where the cursor stays.
        columns = 24;
        stdout.resize(24, 10);
        writer.invalidate();
      }
      rows = rows.map((r) => (random(3) === 0 ? row() : random(4) === 0 ? ` ${r}` : r));
      if (random(5) === 0) rows = rows.slice(0, 1 + random(rows.length));
      if (random(5) === 0) rows.push(row());
      // Rows taken out or put in: what is below moves up or down (scrolled, when worth it).
      if (random(4) === 0) rows.splice(random(rows.length), 1 + random(2));
      if (random(4) === 0) rows.splice(random(rows.length), 0, row(), ...(random(2) ? [row()] : []));
      // Written spaces are cells too: compare what reads, right-trimmed.
      const shown = (await frame(rows.slice(0, 9))).split('\n').map((l) => l.trimEnd());
      expect(shown.join('\n').trimEnd()).toBe(plain(rows.slice(0, 9)));
      // And every cell in its colour and weight.
      rows.slice(0, 9).forEach((r, y) => {
        parseLine(r)
          .cells.slice(0, columns)
          .forEach((cell, x) => {
            if (cell.ch === ' ') return;
            const got = stdout.xterm.buffer.active.getLine(y)!.getCell(x)!;
            const fg = /(?:^|;)(3\d|9\d)(?:;|$)/.exec(cell.style)?.[1];
            const want = fg === undefined ? -1 : Number(fg) >= 90 ? Number(fg) - 82 : Number(fg) - 30;
            expect([y, x, got.isFgDefault() ? -1 : got.getFgColor(), got.isBold() !== 0]).toEqual([
              y,
              x,
              want,
              cell.style.split(';').includes('1'),
            ]);
          });
      });
    }
    expect(stdout.xterm.buffer.active.cursorY).toBeLessThan(9);
  });

  test("Ink's frames through its stdout are dropped; its cursor switches pass", async () => {
    const { stdout, writer } = start(['ours']);
    writer.stdout.write('\x1b[2K\x1b[1A\x1b[Gtheirs\n');
    writer.stdout.write('\x1b[?25l');
    expect(await stdout.screen()).toBe('ours');
    expect(stdout.written.endsWith('\x1b[?25l')).toBe(true);
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

  test.each([
    ['A', 1],
    ['日', 2],
    ['😀', 2],
    ['\u0301', 0],
    ['⏸', 2],
  ])('%s takes %i columns', (ch, width) => {
    expect(cellWidth(ch.codePointAt(0)!)).toBe(width);
  });

  test('SGR codes become per-cell styles; resets end them', () => {
    const { cells, exact } = parseLine('a\x1b[32mb\x1b[1mc\x1b[39md\x1b[0me');
    expect(exact).toBe(true);
    expect(cells.map((c) => `${c.ch}:${c.style}`)).toEqual(['a:', 'b:32', 'c:1;32', 'd:1', 'e:']);
  });
});
