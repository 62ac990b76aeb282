// Splits a stream of concatenated JSON documents into whole ones: flyctl's `--json` output is
// Go's json.Encoder with a 4-space indent, one document after another (flyctl
// internal/render/render.go), so an object spans many lines and lines alone cannot split it.
export class JsonObjects {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Feeds more text; returns the documents it completed. Text outside any object is ignored. */
  push(text: string): unknown[] {
    this.buffer += text;
    const done: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"' && this.depth > 0) this.inString = true;
      else if (ch === '{' || ch === '[') {
        if (this.depth === 0) this.start = i;
        this.depth += 1;
      } else if ((ch === '}' || ch === ']') && this.depth > 0) {
        this.depth -= 1;
        if (this.depth === 0) {
          try {
            done.push(JSON.parse(this.buffer.slice(this.start, i + 1)));
          } catch {
            // not JSON after all (a line of text with braces): skipped
          }
          this.buffer = this.buffer.slice(i + 1);
          i = -1;
          this.start = -1;
        }
      }
    }
    if (this.depth === 0) this.buffer = '';
    this.scanned = this.buffer.length;
    return done;
  }
}
