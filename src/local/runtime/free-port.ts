// A port on 127.0.0.1 that nothing listens on right now, for a container's $PORT or a proxy.
import { createServer } from 'node:net';

/** Binds 127.0.0.1:0, reads the port the kernel chose, and closes the socket again. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address');
  return address.port;
}
