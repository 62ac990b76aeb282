// A terminal's streams for a screen run in the test's own process: stdout's bytes go to a real
// terminal emulator (@xterm/headless) to read the screen back, stdin takes key presses. The real
// pseudo-terminal is test/e2e's.
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';

/** A TTY-like stdout whose bytes also go to a terminal emulator, to read the screen back. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  writes: string[] = [];
  readonly xterm = new xtermHeadless.Terminal({ cols: 80, rows: 24, allowProposedApi: true });
  private parsed: Promise<void> = Promise.resolve();
  write = (chunk: string) => {
    this.writes.push(String(chunk));
    const bytes = String(chunk).replace(/\r?\n/g, '\r\n');
    this.parsed = new Promise((resolve) => this.xterm.write(bytes, resolve));
    return true;
  };
  get text() {
    return this.writes.join('');
  }
  async screen(): Promise<string> {
    await this.parsed;
    const buffer = this.xterm.buffer.active;
    const rows = Array.from({ length: this.rows }, (_, row) => buffer.getLine(row)?.translateToString(true));
    return rows.join('\n').trimEnd();
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  press(data: string) {
    this.data = data;
    this.emit('readable');
  }
}
