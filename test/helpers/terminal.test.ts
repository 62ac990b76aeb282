import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTerminal, type Terminal } from './terminal.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const open: Terminal[] = [];
function run(name: string, o: { cols?: number; rows?: number } = {}): Terminal {
  const term = spawnTerminal({ file: process.execPath, args: [fixture(name)], ...o });
  open.push(term);
  return term;
}

afterEach(() => {
  for (const term of open.splice(0)) term.dispose();
});

describe('spawnTerminal with a full-screen program', () => {
  it('shows the alternate screen with the cursor hidden, then restores both on q and exits 0', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');

    expect(term.screen()).toBe('red alert bold green\nsize 80x24\npress q to quit');
    expect(term.line(1)).toBe('size 80x24');
    expect(term.altScreen()).toBe(true);
    expect(term.cursorVisible()).toBe(false);

    term.write('q');
    expect(await term.exited).toEqual({ exitCode: 0 });
    expect(term.altScreen()).toBe(false);
    expect(term.cursorVisible()).toBe(true);
    // The normal screen is back: what was drawn on the alternate one is gone.
    expect(term.screen()).toBe('goodbye');
  });

  it('passes the colours the program wrote through to the emulator', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');

    const row = term.xterm.buffer.active.getLine(term.xterm.buffer.active.viewportY)!;
    const red = row.getCell(0)!;
    expect(red.getChars()).toBe('r');
    expect(red.isFgPalette()).toBe(true);
    expect(red.getFgColor()).toBe(1);
    const green = row.getCell('red alert '.length)!;
    expect(green.getChars()).toBe('b');
    expect(green.getFgColor()).toBe(2);
    expect(green.isBold()).toBeTruthy();
  });

  it('delivers keys to the program', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');
    term.write('x');
    await term.waitFor('key: "x"');
    term.write('\x1b');
    await term.waitFor('key: "\\u001b"');
  });

  it('resizes the pty so the program sees its new size', async () => {
    const term = run('alt-screen.mjs', { cols: 60, rows: 20 });
    await term.waitFor('size 60x20');
    term.resize(100, 30);
    await term.waitFor('resized: size 100x30');
    expect(term.xterm.cols).toBe(100);
    expect(term.xterm.rows).toBe(30);
  });

  it('records every byte in output, so escape sequences can be counted', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');
    term.write('q');
    await term.exited;
    expect(term.output.split('\x1b[?1049h')).toHaveLength(2);
    expect(term.output.split('\x1b[?1049l')).toHaveLength(2);
    expect(term.output).toContain('\x1b[31mred alert');
  });

  it('reports the signal when the program is killed', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');
    term.kill('SIGTERM');
    const exit = await term.exited;
    expect(exit.signal).toBe(15);
  });
});

describe('waitFor', () => {
  it('times out with the current screen in the message', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor(/press q/);
    await expect(term.waitFor('never shown', { timeoutMs: 200 })).rejects.toThrow(
      /"never shown"\) timed out after 200ms; screen:\nred alert bold green/,
    );
  });

  it('fails at once when the program exits before the text appears', async () => {
    const term = run('alt-screen.mjs');
    await term.waitFor('press q to quit');
    term.write('q');
    await expect(term.waitFor('never shown', { timeoutMs: 30_000 })).rejects.toThrow(
      /program exited first; screen:\ngoodbye/,
    );
  });
});

describe('spawnTerminal with an Ink app', () => {
  it('renders Ink output in the pty and quits on q', async () => {
    const term = run('ink-hello.mjs');
    await term.waitFor('hello ink');

    const cell = term.xterm.buffer.active.getLine(term.xterm.buffer.active.viewportY)!.getCell(0)!;
    expect(cell.getChars()).toBe('h');
    expect(cell.isFgPalette()).toBe(true);
    expect(cell.getFgColor()).toBe(2);

    term.write('q');
    expect(await term.exited).toEqual({ exitCode: 0 });
    expect(term.screen()).toContain('hello ink');
  });
});
