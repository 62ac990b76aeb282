// The proxy's own reader of container responses, fed the way TCP delivers: in pieces of any size.
import { describe, expect, it } from 'vitest';
import { type ResponseHead, ResponseParser } from '../../../src/local/runtime/proxy/response-parser.ts';

interface Read {
  heads: ResponseHead[];
  body: string;
  ended: boolean;
  invalid: string | null;
}

/** Feeds `text` to a parser expecting a response to `method`, `piece` bytes at a time. */
function read(text: string, piece: number, method = 'GET', parser = new ResponseParser()): Read {
  const r: Read = { heads: [], body: '', ended: false, invalid: null };
  parser.expect(method, {
    head: (h) => r.heads.push(h),
    data: (chunk) => {
      r.body += chunk.toString('latin1');
    },
    end: (last) => {
      if (last !== null) r.body += last.toString('latin1');
      r.ended = true;
    },
    invalid: (reason) => {
      r.invalid = reason;
    },
  });
  const bytes = Buffer.from(text, 'latin1');
  for (let at = 0; at < bytes.length; at += piece) parser.push(bytes.subarray(at, at + piece));
  return r;
}

const CHUNKED =
  'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' +
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n' +
  '5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ResponseParser', () => {
  it('reads a chunked body with extensions and trailers, skipping an interim 1xx, in pieces of any size', () => {
    for (const piece of [1, 2, 3, 7, 64, 4096]) {
      const r = read(CHUNKED, piece);
      expect(r, `piece ${piece}`).toMatchObject({ body: 'hello, world', ended: true, invalid: null });
      expect(r.heads).toEqual([
        {
          status: 200,
          statusMessage: 'OK',
          rawHeaders: ['Transfer-Encoding', 'chunked', 'X-A', '1'],
          keepAlive: true,
          framing: 'unknown',
        },
      ]);
    }
  });

  it('reads a Content-Length body and nothing past it', () => {
    const r = read('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n', 1);
    expect(r).toMatchObject({ body: 'ok\n', ended: true });
  });

  it('reads no body for HEAD, 204 and 304, whatever the length says', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 5, 'HEAD')).toMatchObject({
      body: '',
      ended: true,
    });
    expect(read('HTTP/1.1 204 No Content\r\n\r\n', 5)).toMatchObject({ body: '', ended: true });
    expect(read('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 5)).toMatchObject({ ended: true });
  });

  it('reads a body without framing until the connection closes; HTTP/1.0 and Connection: close are not kept alive', () => {
    const parser = new ResponseParser();
    const r = read('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nsome bytes', 4, 'GET', parser);
    expect(r).toMatchObject({ body: 'some bytes', ended: false });
    expect(r.heads[0]!.keepAlive).toBe(false);
    parser.closed();
    expect(r.ended).toBe(true);
    expect(
      read('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', 9).heads[0]!.keepAlive,
    ).toBe(false);
  });

  it('says what is wrong with bytes that are not an HTTP response', () => {
    expect(read('SSH-2.0-OpenSSH\r\n\r\n', 100).invalid).toBe('not an HTTP/1.x response');
    for (const line of [
      'HTTP/2.0 200 OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 200\tOK',
      'HTTP/1.1 200 O\nK',
    ])
      expect(read(`${line}\r\n\r\n`, 100).invalid, line).toBe('not an HTTP/1.x response');
    for (const [line, reason] of [
      ['HTTP/1.1 204', ''],
      ['HTTP/1.0 304 ', ''],
      ['HTTP/1.1 200 All good', 'All good'],
    ])
      expect(read(`${line}\r\n\r\n`, 100).heads[0]?.statusMessage, line).toBe(reason);
    expect(read('HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n', 100).invalid).toBe('a malformed response header');
    expect(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 100).invalid).toBe(
      'a malformed chunk size',
    );
  });
});
