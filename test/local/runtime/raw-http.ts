// HTTP as bytes, for the proxy's client-side tests: a proxy that routes every input at once, a
// client that writes exact bytes and keeps every byte it gets back, and a container that answers
// with exact bytes.
import { connect, createServer, type Server } from 'node:net';
import { FunctionProxy } from '../../../src/local/runtime/proxy/function-proxy.ts';

/** A proxy that routes every input at once to `port`, the methods that reached it, and its close. */
export async function proxyTo(
  port: number,
): Promise<{ proxy: FunctionProxy; arrived: string[]; close: () => Promise<void> }> {
  const arrived: string[] = [];
  const proxy: FunctionProxy = new FunctionProxy({
    port: 0,
    idPrefix: 'shop/web/',
    hooks: {
      arrived: (inputId, method) => {
        arrived.push(method);
        setImmediate(() => proxy.route(inputId, 'c-1', port));
      },
      finished: () => undefined,
      failed: (inputId, _containerId, failure) => proxy.answerError(inputId, 502, { error: failure.reason }),
      cancelled: () => undefined,
    },
  });
  await proxy.listen();
  return { proxy, arrived, close: () => proxy.close() };
}

/** Writes raw bytes; resolves with everything the proxy sent once it closes the connection (or after timeoutMs). */
export function rawExchange(
  port: number,
  bytes: string,
  timeoutMs = 5_000,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.write(bytes);
  });
}

/** A container that answers each request's first bytes with `answer`, then closes when `close`. */
export async function rawContainer(
  answer: string,
  o: { close?: boolean } = {},
): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('data', () => {
      if (o.close ?? true) socket.end(answer);
      else socket.write(answer);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}
