// Answers the proxy writes itself (never a container's): the engine's errors and the 413.
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export function answerJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** An answer written straight on a connection that asked to upgrade (there is no response object). */
export function answerRaw(
  socket: Duplex,
  status: number,
  body: object,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

export function tooLarge(res: ServerResponse, limitBytes: number): void {
  answerJson(
    res,
    413,
    {
      error: `request body larger than max_body (${limitBytes} bytes)`,
      code: 'body-too-large',
      limitBytes,
    },
    { connection: 'close' },
  );
}
