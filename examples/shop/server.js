// The demo's example app: a small HTTP service with a visible cold start. It answers with the
// version and container that served the request, and on SIGTERM stops taking connections,
// finishes what is in flight, and exits (so a drained container leaves cleanly).
//
// DEMO_FAULT makes a version bad on purpose, so the demo has something to roll back:
//   crash   the process dies during its cold start (exit 3): a crash loop
//   slow    the cold start takes SLOW_START_MS (default 15 s)
//   errors  answers fail with 500, more often every second (up to ERRORS_MAX, default 60%)

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const fault = process.env.DEMO_FAULT ?? '';
const coldStartMs =
  fault === 'slow' ? Number(process.env.SLOW_START_MS ?? 15_000) : Number(process.env.COLD_START_MS ?? 2000);
const workMs = Number(process.env.WORK_MS ?? 20);
const message = readFileSync(new URL('./message.txt', import.meta.url), 'utf8').trim();
const version = process.env.CUTOVER_VERSION;
const container = process.env.CUTOVER_CONTAINER;
const startedAt = Date.now();

/** For DEMO_FAULT=errors: the share of answers that fail, climbing 5 points a second. */
function errorRate() {
  if (fault !== 'errors') return 0;
  const max = Number(process.env.ERRORS_MAX ?? 0.6);
  return Math.min(max, ((Date.now() - startedAt) / 1000) * 0.05);
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  // Some work per request, so requests are in flight long enough to be seen draining.
  setTimeout(() => {
    if (Math.random() < errorRate()) {
      console.error(`shop v${version}: GET ${req.url} failed: payment backend timed out`);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('payment backend timed out\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      `${JSON.stringify({ message, greeting: process.env.GREETING ?? null, version: Number(version), container })}\n`,
    );
  }, workMs);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});

// The cold start: loading, warming caches, connecting to a database...
console.log(`shop v${version} (${container}) starting: ${coldStartMs} ms cold start`);
if (fault === 'crash') {
  setTimeout(
    () => {
      console.error(`shop v${version}: Error: cannot read config/prices.json: no such file or directory`);
      console.error('    at loadPrices (server.js:42:11)');
      process.exit(3);
    },
    Math.min(coldStartMs, 800),
  );
} else {
  setTimeout(() => {
    server.listen(Number(process.env.PORT), '127.0.0.1', () => {
      console.log(`shop v${version} listening on ${process.env.PORT}: ${message}`);
    });
  }, coldStartMs);
}
