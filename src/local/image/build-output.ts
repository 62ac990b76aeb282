// A build's output as it streams: complete lines handed on as they come, the last bytes kept.
import { StringDecoder } from 'node:string_decoder';

/** Keeps the last `limit` bytes of a build's output and hands complete lines to `onLine`. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly limit: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > this.limit * 2) this.compact();
    if (!this.onLine) return;
    const lines = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  note(line: string): void {
    this.write(Buffer.from(`${line}\n`));
  }

  end(): string {
    const last = this.partial + this.decoder.end();
    if (this.onLine && last !== '') this.onLine(last.replace(/\r$/, ''));
    this.compact();
    return Buffer.concat(this.chunks).toString('utf8');
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    this.chunks = [all.subarray(Math.max(0, all.length - this.limit))];
    this.size = this.chunks[0]!.length;
  }
}
