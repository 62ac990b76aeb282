// The demo's example app: a small HTTP service with a visible cold start. It answers with the
// version and container that served the request, and on SIGTERM stops taking connections,
// finishes what is in flight, and exits (so a drained container leaves cleanly).

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const coldStartMs = Number(process.env.COLD_START_MS ?? 2000);
const workMs = Number(process.env.WORK_MS ?? 20);
const message = readFileSync(new URL('./message.txt', import.meta.url), 'utf8').trim();

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  // Some work per request, so requests are in flight long enough to be seen draining.
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      `${JSON.stringify({
        message,
        greeting: process.env.GREETING ?? null,
        version: Number(process.env.CUTOVER_VERSION),
        container: process.env.CUTOVER_CONTAINER,
      })}\n`,
    );
  }, workMs);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});

// The cold start: loading, warming caches, connecting to a database...
console.log(
  `shop v${process.env.CUTOVER_VERSION} (${process.env.CUTOVER_CONTAINER}) starting: ${coldStartMs} ms cold start`,
);
setTimeout(() => {
  server.listen(Number(process.env.PORT), '127.0.0.1', () => {
    console.log(`shop v${process.env.CUTOVER_VERSION} listening on ${process.env.PORT}: ${message}`);
  });
}, coldStartMs);
