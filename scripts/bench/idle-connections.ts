// The proxy benchmark's memory row: a process's resident memory before and while N connections
// to it are open and idle (connected, nothing sent), the way slow or parked clients hold them.
import { readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';

/** Resident memory of a process, in bytes (VmRSS). */
export function residentBytes(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb * 1024;
}

/** Opens `count` idle connections to 127.0.0.1:port; returns the growth of pid's memory. */
export async function idleConnectionCost(
  port: number,
  pid: number,
  count: number,
): Promise<{ beforeBytes: number; whileOpenBytes: number; opened: number }> {
  const beforeBytes = residentBytes(pid);
  const sockets: Socket[] = [];
  let opened = 0;
  try {
    // In batches, so the listen backlog never overflows.
    for (let i = 0; i < count; i += 500) {
      const batch = Array.from(
        { length: Math.min(500, count - i) },
        () =>
          new Promise<void>((resolve) => {
            const socket = createConnection({ host: '127.0.0.1', port });
            sockets.push(socket);
            socket.once('connect', () => {
              opened++;
              resolve();
            });
            socket.once('error', () => resolve());
          }),
      );
      await Promise.all(batch);
    }
    await new Promise((r) => setTimeout(r, 1_000)); // the server has accepted and settled
    return { beforeBytes, whileOpenBytes: residentBytes(pid), opened };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}
