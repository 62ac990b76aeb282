// Every request the fake API server receives, and the calls a test expects it to have
// received (lazygit's FakeCmdObjRunner: ExpectGitArgs + CheckForMissingCalls).
import { deepEqual, type Json } from './json.ts';

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Content-Type without parameters, or '' when the request had none. */
  contentType: string;
  /** The parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: Json | string | undefined;
}

export interface ExpectedCall {
  method: string;
  path: string | RegExp;
  contentType?: string;
  /** Compared structurally with the parsed body (key order does not matter). */
  body?: Json;
}

export interface CheckOptions {
  /** Also fail when a PATCH/PUT/POST/DELETE was made that no expectation names. */
  noOtherMutations?: boolean;
}

const MUTATING = new Set(['PATCH', 'PUT', 'POST', 'DELETE']);

function matches(expected: ExpectedCall, call: RecordedCall): boolean {
  if (expected.method !== call.method) return false;
  if (typeof expected.path === 'string' ? expected.path !== call.path : !expected.path.test(call.path))
    return false;
  if (expected.contentType !== undefined && expected.contentType !== call.contentType) return false;
  return expected.body === undefined || deepEqual(expected.body, call.body);
}

const describe = (c: RecordedCall | ExpectedCall): string =>
  `${c.method} ${c.path}${c.contentType ? ` (${c.contentType})` : ''}${c.body === undefined ? '' : ` ${JSON.stringify(c.body)}`}`;

export class Recorder {
  readonly calls: RecordedCall[] = [];
  private readonly expected: ExpectedCall[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
  }

  expectCall(call: ExpectedCall): void {
    this.expected.push(call);
  }

  mutations(): RecordedCall[] {
    return this.calls.filter((c) => MUTATING.has(c.method));
  }

  /**
   * Throws unless every expected call was made, in the order expected (other calls may come
   * between them); with noOtherMutations, also unless every mutating call was expected.
   */
  checkExpected(options: CheckOptions = {}): void {
    const problems: string[] = [];
    const used = new Set<RecordedCall>();
    let from = 0;
    for (const expected of this.expected) {
      const at = this.calls.findIndex((c, i) => i >= from && matches(expected, c));
      if (at < 0) problems.push(`expected call not made: ${describe(expected)}`);
      else {
        used.add(this.calls[at]!);
        from = at + 1;
      }
    }
    if (options.noOtherMutations) {
      for (const call of this.mutations())
        if (!used.has(call)) problems.push(`unexpected call: ${describe(call)}`);
    }
    if (problems.length > 0) {
      const made = this.calls.map((c) => `  ${describe(c)}`).join('\n');
      throw new Error(`${problems.join('\n')}\ncalls made:\n${made}`);
    }
  }
}
