// One function's queue of input ids. Q1: a client that leaves takes its input out of the queue;
// removal is lazy (the id is skipped when it reaches the front), so it costs O(1) like the rest.
import { Deque } from './deque.ts';

export class InputQueue {
  private readonly ids = new Deque<string>();
  private readonly removed = new Set<string>();

  /** Inputs waiting, not counting removed ones. */
  get length(): number {
    return this.ids.length - this.removed.size;
  }

  push(id: string): void {
    this.ids.push(id);
  }

  /** S2: requeued inputs go back to the front. */
  unshift(id: string): void {
    this.ids.unshift(id);
  }

  /** The front input, removed from the queue. */
  shift(): string | undefined {
    this.skipRemoved();
    return this.ids.shift();
  }

  /** The front input, left in place. */
  peek(): string | undefined {
    this.skipRemoved();
    return this.ids.peek();
  }

  /** Takes an input that is in the queue out of it. */
  remove(id: string): void {
    this.removed.add(id);
  }

  /** Removes and returns every input, front first. */
  drain(): string[] {
    const all: string[] = [];
    for (let id = this.shift(); id !== undefined; id = this.shift()) all.push(id);
    return all;
  }

  private skipRemoved(): void {
    while (this.removed.size > 0) {
      const front = this.ids.peek();
      if (front === undefined || !this.removed.delete(front)) return;
      this.ids.shift();
    }
  }
}
