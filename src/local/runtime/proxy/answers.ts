// Answers the proxy writes itself (never a container's): the engine's errors and the 413.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClientExchange } from './client-exchange.ts';

export function answerJson(
  exchange: ClientExchange,
  status: number,
  body: object,
  headers: Record<string, string>,
  close = false,
): void {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) flat.push(name, value);
  flat.push('content-type', 'application/json; charset=utf-8');
  exchange.answer(status, flat, JSON.stringify(body), close);
}

/** An answer written straight on a connection that asked to upgrade (there is no exchange). */
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

/** Q1: the body is larger than max_body; the connection closes after it (the rest is not read). */
export function tooLarge(exchange: ClientExchange, limitBytes: number): void {
  answerJson(
    exchange,
    413,
    {
      error: `request body larger than max_body (${limitBytes} bytes)`,
      code: 'body-too-large',
      limitBytes,
    },
    {},
    true,
  );
}

/** A request whose `Expect` the proxy cannot meet (only 100-continue exists). */
export function expectationFailed(exchange: ClientExchange): void {
  answerJson(
    exchange,
    417,
    { error: 'only Expect: 100-continue is supported', code: 'expectation-failed' },
    {},
  );
}
