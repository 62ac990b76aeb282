// The benchmarks' fixture app: answers every request at once (or after WORK_MS) with a few bytes,
// so what a benchmark measures is the platform around it. GET /port and GET /pid name this
// container's port and process, so the proxy benchmark can reach it directly and read its CPU.
import { createServer } from 'node:http';

const coldStartMs = Number(process.env.COLD_START_MS ?? 0);
const workMs = Number(process.env.WORK_MS ?? 0);
const port = Number(process.env.PORT);
const body = 'ok\n';

const answer = (res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
};

const server = createServer((req, res) => {
  if (req.url === '/port' || req.url === '/pid') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.url === '/port' ? port : process.pid}\n`);
    return;
  }
  if (workMs > 0 && req.url !== '/healthz') setTimeout(() => answer(res), workMs);
  else answer(res);
});
server.keepAliveTimeout = 30_000;

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});

// The cold start the rollout benchmark's floor is made of.
setTimeout(() => server.listen(port, '127.0.0.1'), coldStartMs);
